public import PocGateCore

/// What one frame gave the dump.
public struct AA55Outcome: Sendable, Equatable {
    /// Readings completed by this frame (a blood-pressure result gives two: panel and pulse).
    public var readings: [Reading] = []
    /// Results that could not become readings.
    public var problems: [AA55Problem] = []

    public init() {}
}

/// Turns kiosk frames into readings. Used by `pocgate replay` and by any future live session.
///
/// The frames carry no time stamp and no serial number: every reading is stamped with the time
/// the caller says the frame was received, and names the device `unknown`. Live values (cuff
/// pressure, plethysmogram, each SpO2 parameter frame) are not readings. Final results are: a
/// blood-pressure result (token 43), a thermometer result (74), a strip result (E2), and for
/// SpO2 the last valid parameter frame (53) before the oximeter reports the measurement over
/// (54 state 00) or the probe off.
public struct AA55Dump: Sendable {
    /// The model name written into readings.
    public static let model = "AA55 health kiosk"

    public let profileID: String
    public let serial: String
    /// The strip meter the kiosk reported (token E0), which names test 03.
    public private(set) var meterKind: UInt8?
    /// Whether the version reply marked an older board (thermometer in tenths); nil before it.
    public private(set) var olderBoard: Bool?
    /// The version reply (hardware, software), packed BCD.
    public private(set) var version: (hardware: UInt8, software: UInt8)?
    private var pendingSpO2: (parameters: AA55SpO2Parameters, raw: [UInt8], time: LocalDateTime)?
    private var occurrences: [String: Int] = [:]

    public init(profileID: String, serial: String = DecodedCapture.unknownSerial) {
        self.profileID = profileID
        self.serial = serial
    }

    /// Takes one kiosk→host frame received at `time`.
    public mutating func consume(_ frame: AA55Frame, receivedAt time: LocalDateTime) -> AA55Outcome {
        var out = AA55Outcome()
        let raw = frame.bytes
        let hex = Hex.string(raw)
        switch AA55Message(frame) {
        case let .version(hw, sw, older):
            version = (hw, sw)
            olderBoard = older
        case let .stripMeterKind(kind):
            meterKind = kind
        case let .bloodPressure(bp):
            guard bp.systolic > 0, bp.systolic <= 300, bp.diastolic > 0 else {
                out.problems.append(.bloodPressureImplausible(hex: hex))
                break
            }
            var parts = [ReadingComponent(kind: .systolicPressure, value: ExactDecimal(bp.systolic), unit: "mm[Hg]"),
                         ReadingComponent(kind: .diastolicPressure, value: ExactDecimal(bp.diastolic), unit: "mm[Hg]")]
            if bp.mean > 0 { parts.append(ReadingComponent(kind: .meanPressure, value: ExactDecimal(bp.mean), unit: "mm[Hg]")) }
            let flags: [ReadingFlag] = bp.irregularHeartbeat ? [.irregularHeartbeat] : []
            let shown = "\(bp.systolic)/\(bp.diastolic)/\(bp.mean > 0 ? String(bp.mean) : "-")"
            out.readings.append(reading(.bloodPressure, ExactDecimal(bp.systolic), "mm[Hg]", shown: shown, time: time,
                                        flags: flags, raw: raw, components: parts))
            if bp.pulse > 0 {
                out.readings.append(reading(.heartRate, ExactDecimal(bp.pulse), "/min", shown: "\(bp.pulse)|nibp", time: time,
                                            flags: flags, raw: raw))
            }
        case let .bloodPressureError(e):
            out.problems.append(.bloodPressureFailed(e, hex: hex))
        case let .spo2Parameters(p):
            if p.isValid {
                pendingSpO2 = (p, raw, time)
            } else if p.probeOff {
                settleSpO2(into: &out)
            }
        case let .spo2State(state):
            if state == 0x00 { settleSpO2(into: &out) }
        case let .temperature(t):
            guard t.rangeCode == 0 else {
                out.problems.append(.temperatureOutOfRange(code: t.rangeCode, hex: hex))
                break
            }
            guard let older = olderBoard else {
                out.problems.append(.temperatureScaleUnknown(hex: hex))
                break
            }
            let value = ExactDecimal(mantissa: Int64(t.raw), scale: older ? 1 : 2)
            let unit = t.fahrenheit ? "[degF]" : "Cel"
            out.readings.append(reading(.bodyTemperature, value, unit, shown: value.description, time: time, flags: [], raw: raw))
        case let .stripResult(r):
            guard !r.noRecord else { break }
            guard r.rangeCode == 0 else {
                out.problems.append(.stripOutOfRange(code: r.rangeCode, hex: hex))
                break
            }
            guard let analyte = AA55StripAnalyte.of(test: r.test, meterKind: meterKind) else {
                out.problems.append(.stripTestUnknown(test: r.test, meterKind: meterKind, hex: hex))
                break
            }
            guard let (value, unit) = analyte.value(r) else {
                out.problems.append(.stripValueUndecodable(hex: hex))
                break
            }
            out.readings.append(reading(analyte.kind, value, unit, shown: value.description, time: time, flags: [], raw: raw))
        case .cuffPressure, .spo2Wave, .other:
            break
        }
        return out
    }

    /// Emits the held SpO2 parameters (SpO2 and, when non-zero, pulse rate) and forgets them.
    private mutating func settleSpO2(into out: inout AA55Outcome) {
        guard let (p, raw, time) = pendingSpO2 else { return }
        pendingSpO2 = nil
        out.readings.append(reading(.oxygenSaturation, ExactDecimal(p.spo2), "%", shown: String(p.spo2), time: time, flags: [], raw: raw))
        if p.pulseRate > 0 {
            out.readings.append(reading(.heartRate, ExactDecimal(p.pulseRate), "/min", shown: "\(p.pulseRate)|spo2", time: time,
                                        flags: [], raw: raw))
        }
    }

    /// A reading whose key is `kind|shown|unit|time|occurrence`.
    private mutating func reading(_ kind: ObservationKind, _ value: ExactDecimal, _ unit: String, shown: String,
                                  time: LocalDateTime, flags: [ReadingFlag], raw: [UInt8],
                                  components: [ReadingComponent] = []) -> Reading {
        let tuple = "\(kind.rawValue)|\(shown)|\(unit)|\(time.description)"
        let n = occurrences[tuple, default: 0]
        occurrences[tuple] = n + 1
        return Reading(profileID: profileID, deviceSerial: serial, deviceModel: Self.model, recordKey: "\(tuple)|\(n)",
                       kind: kind, code: kind.loincCode(unit: unit) ?? "", value: value, unit: unit,
                       deviceTime: time, flags: flags, raw: raw, components: components)
    }
}
