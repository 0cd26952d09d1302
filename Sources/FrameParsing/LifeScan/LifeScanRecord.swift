public import PocGateCore

/// One LifeScan record, paired with the request that asked for it.
public struct LifeScanRecord: Sendable, Equatable {
    /// The decoded fields.
    public var fields: LifeScanPayload.RecordFields
    /// The generation that sent it.
    public var dialect: LifeScanDialect
    /// The stable identity of this measurement within the meter (never the memory index).
    public var recordKey: String
    /// The reply message, for provenance.
    public var raw: [UInt8]

    /// The reading this record is, or nil with a reason.
    public func reading(profileID: String, serial: String, model: String) -> Result<Reading, LifeScanProblem> {
        guard let flags = LifeScanPayload.flags(fields) else {
            if let c = fields.control, c > 1 { return .failure(.unknownControl(c)) }
            return .failure(.unknownMeal(fields.meal ?? 0))
        }
        let unit = "mg/dL"
        guard let code = ObservationKind.glucose.loincCode(unit: unit) else { return .failure(.undecodable(Hex.string(raw))) }
        return .success(Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey,
                                kind: .glucose, code: code, value: ExactDecimal(Int(fields.mgdL)), unit: unit,
                                deviceTime: fields.time, flags: flags, raw: raw))
    }
}

/// Why a LifeScan reply did not become what was asked for.
public enum LifeScanProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The meter answered with a status other than success.
    case errorReply(status: UInt8, hex: String)
    /// The reply is too short or its time is not a date.
    case undecodable(String)
    /// A Verio meal byte other than 0, 1, 2.
    case unknownMeal(UInt8)
    /// A Verio IQ control byte other than 0 (blood) and 1 (control solution).
    case unknownControl(UInt8)
    /// A message that is neither a known request nor a reply to one.
    case unpaired(String)

    public var description: String {
        switch self {
        case let .errorReply(status, hex): return "meter answered status 0x\(Hex.byte(status)) [\(hex)]"
        case let .undecodable(hex): return "reply does not decode [\(hex)]"
        case let .unknownMeal(m): return "meal byte 0x\(Hex.byte(m)) is not a known value"
        case let .unknownControl(c): return "control byte 0x\(Hex.byte(c)) is not a known value"
        case let .unpaired(hex): return "message without a request before it [\(hex)]"
        }
    }
}
