/// The record layouts the TaiDoc/FORA 8-byte protocol carries. One frame format serves glucose
/// meters (TD-42xx), blood-pressure monitors (TD-32xx, FORA P-series), 2-in-1 meters (TD-3261 /
/// FORA D40), multi-analyte meters (FORA MD6) and IR thermometers; only the model (0x24 reply)
/// and the record-type bit of a record's time reply tell which layout a value reply has.
public enum TaiDocLayout: String, Sendable, Hashable, CaseIterable, Comparable {
    /// 0x26 `d0 d1` LE mg/dL; `d3` bits 7..6 meal context, bits 5..2 analyte 0.
    case glucose
    /// 0x26 `d0` systolic, `d1` mean arterial pressure (0: none), `d2` diastolic, `d3` pulse;
    /// the record's time reply has `d2` bit 7 set on devices that also store glucose.
    case bloodPressure = "blood-pressure"
    /// 0x26 `d0 d1` LE, `(value & 0x0FFF) / 10` °C.
    case thermometer
    /// The glucose layout with the analyte field `d3` bits 5..2 naming the strip (MD6).
    case multiAnalyte = "multi-analyte"
    /// The FORA D40's glucose: 0x26 `d0 d1` LE mg/dL, `d2` ambient temperature, `d3` bits 7..6
    /// meal context and bits 5..0 the strip code number (not an analyte: always glucose).
    case glucoseCodeNumber = "glucose-code-number"

    public static func < (a: TaiDocLayout, b: TaiDocLayout) -> Bool { a.rawValue < b.rawValue }
}

/// Which models a profile accepts and which record layouts each may send. A model not listed
/// is refused: its records are kept as problems with their bytes, never decoded as glucose.
public struct TaiDocModels: Sendable, Equatable {
    /// Model number as the 0x24 reply gives it ("4277") → the layouts it may send.
    public var layouts: [String: Set<TaiDocLayout>]

    public init(_ layouts: [String: Set<TaiDocLayout>]) { self.layouts = layouts }

    /// The TD-42xx glucose meters Tidepool's driver names (4277 Nexus, 4279 HCT, 4141 Nexus Mini
    /// Ultra, 4283 Go): the table of a `taidoc-td42xx` profile that lists no models.
    public static let glucoseMeters = TaiDocModels(["4277": [.glucose], "4279": [.glucose], "4141": [.glucose], "4283": [.glucose]])

    /// Why a record of `model` with the record-type bit `bloodPressureBit` has no layout, or its layout.
    public func layout(model: String?, bloodPressureBit: Bool) -> Result<TaiDocLayout, TaiDocRecordProblem> {
        guard let model else { return .failure(.modelNotReported) }
        guard let allowed = layouts[model] else { return .failure(.modelNotListed(model)) }
        if bloodPressureBit {
            return allowed.contains(.bloodPressure) ? .success(.bloodPressure) : .failure(.recordTypeNotAllowed(model: model, bloodPressure: true))
        }
        // The layouts other than blood pressure, counted without building a set per record.
        let hasBloodPressure = allowed.contains(.bloodPressure)
        let others = allowed.count - (hasBloodPressure ? 1 : 0)
        // A monitor that stores only blood pressure need not set the type bit (FORA P-series).
        if others == 0, hasBloodPressure { return .success(.bloodPressure) }
        guard others == 1, let only = allowed.first(where: { $0 != .bloodPressure }) else {
            return .failure(.recordTypeNotAllowed(model: model, bloodPressure: false))
        }
        return .success(only)
    }
}
