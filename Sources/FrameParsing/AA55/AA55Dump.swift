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
    /// The last valid SpO2 parameters, their frame and its receive time, until settled.
    private var pendingSpO2: (parameters: AA55SpO2Parameters, frame: AA55Frame, time: LocalDateTime)?
    /// How often each `kind|shown|unit|time` text has been seen, by its UTF-8 bytes.
    private var occurrences = KeyTextCounts()
    /// The record key's text, written here and copied once into the key.
    private var keyText: [UInt8] = []

    public init(profileID: String, serial: String = DecodedCapture.unknownSerial) {
        self.profileID = profileID
        self.serial = serial
    }

    /// Takes one kiosk→host frame received at `time`.
    public mutating func consume(_ frame: AA55Frame, receivedAt time: LocalDateTime) -> AA55Outcome {
        var out = AA55Outcome()
        consume(frame, receivedAt: time, reading: { out.readings.append($0) }, problem: { out.problems.append($0) })
        return out
    }

    /// `consume`, handing each reading and problem over as it is made (no array per frame).
    /// The frame's bytes are written out only for a reading or a problem, its hex only for a
    /// problem.
    public mutating func consume(_ frame: AA55Frame, receivedAt time: LocalDateTime,
                                 reading emit: (Reading) -> Void, problem: (AA55Problem) -> Void) {
        var hex: String { Hex.string(frame.bytes) }
        switch AA55Message(frame) {
        case let .version(hw, sw, older):
            version = (hw, sw)
            olderBoard = older
        case let .stripMeterKind(kind):
            meterKind = kind
        case let .bloodPressure(bp):
            guard bp.systolic > 0, bp.systolic <= 300, bp.diastolic > 0 else {
                problem(.bloodPressureImplausible(hex: hex))
                break
            }
            var parts = [ReadingComponent(kind: .systolicPressure, value: ExactDecimal(bp.systolic), unit: "mm[Hg]"),
                         ReadingComponent(kind: .diastolicPressure, value: ExactDecimal(bp.diastolic), unit: "mm[Hg]")]
            if bp.mean > 0 { parts.append(ReadingComponent(kind: .meanPressure, value: ExactDecimal(bp.mean), unit: "mm[Hg]")) }
            let flags = bp.irregularHeartbeat ? Self.irregularHeartbeat : []
            let raw = frame.bytes
            emit(reading(.bloodPressure, ExactDecimal(bp.systolic), "mm[Hg]", shown: .pressures(bp.systolic, bp.diastolic, bp.mean),
                         time: time, flags: flags, raw: raw, components: parts))
            if bp.pulse > 0 {
                emit(reading(.heartRate, ExactDecimal(bp.pulse), "/min", shown: .count(bp.pulse, "|nibp"), time: time,
                             flags: flags, raw: raw))
            }
        case let .bloodPressureError(e):
            problem(.bloodPressureFailed(e, hex: hex))
        case let .spo2Parameters(p):
            if p.isValid {
                pendingSpO2 = (p, frame, time)
            } else if p.probeOff {
                settleSpO2(emit)
            }
        case let .spo2State(state):
            if state == 0x00 { settleSpO2(emit) }
        case let .temperature(t):
            guard t.rangeCode == 0 else {
                problem(.temperatureOutOfRange(code: t.rangeCode, hex: hex))
                break
            }
            guard let older = olderBoard else {
                problem(.temperatureScaleUnknown(hex: hex))
                break
            }
            let value = ExactDecimal(mantissa: Int64(t.raw), scale: older ? 1 : 2)
            let unit = t.fahrenheit ? "[degF]" : "Cel"
            emit(reading(.bodyTemperature, value, unit, shown: .value(value), time: time, flags: [], raw: frame.bytes))
        case let .stripResult(r):
            guard !r.noRecord else { break }
            guard r.rangeCode == 0 else {
                problem(.stripOutOfRange(code: r.rangeCode, hex: hex))
                break
            }
            guard let analyte = AA55StripAnalyte.of(test: r.test, meterKind: meterKind) else {
                problem(.stripTestUnknown(test: r.test, meterKind: meterKind, hex: hex))
                break
            }
            guard let (value, unit) = analyte.value(r) else {
                problem(.stripValueUndecodable(hex: hex))
                break
            }
            emit(reading(analyte.kind, value, unit, shown: .value(value), time: time, flags: [], raw: frame.bytes))
        case .cuffPressure, .spo2Wave, .other:
            break
        }
    }

    /// Emits the held SpO2 parameters (SpO2 and, when non-zero, pulse rate) and forgets them.
    private mutating func settleSpO2(_ emit: (Reading) -> Void) {
        guard let (p, frame, time) = pendingSpO2 else { return }
        pendingSpO2 = nil
        let raw = frame.bytes
        emit(reading(.oxygenSaturation, ExactDecimal(p.spo2), "%", shown: .count(p.spo2, ""), time: time, flags: [], raw: raw))
        if p.pulseRate > 0 {
            emit(reading(.heartRate, ExactDecimal(p.pulseRate), "/min", shown: .count(p.pulseRate, "|spo2"), time: time,
                         flags: [], raw: raw))
        }
    }

    /// `[.irregularHeartbeat]`, shared by every flagged blood-pressure panel and its pulse.
    private static let irregularHeartbeat: [ReadingFlag] = [.irregularHeartbeat]

    /// How a reading's value is shown in its key.
    private enum Shown {
        /// `systolic/diastolic/mean`, the mean `-` when none was reported.
        case pressures(Int, Int, Int)
        /// A count and a fixed suffix (`72|nibp`).
        case count(Int, StaticString)
        /// The value's `description`.
        case value(ExactDecimal)

        func write(into text: inout [UInt8]) {
            switch self {
            case let .pressures(systolic, diastolic, mean):
                text.appendDecimal(systolic); text.append(UInt8(ascii: "/"))
                text.appendDecimal(diastolic); text.append(UInt8(ascii: "/"))
                if mean > 0 { text.appendDecimal(mean) } else { text.append(UInt8(ascii: "-")) }
            case let .count(n, suffix):
                text.appendDecimal(n)
                text.appendText(suffix)
            case let .value(v):
                text.appendDecimal(v)
            }
        }
    }

    /// A reading whose key is `kind|shown|unit|time|occurrence`, written into `keyText`.
    private mutating func reading(_ kind: ObservationKind, _ value: ExactDecimal, _ unit: String, shown: Shown,
                                  time: LocalDateTime, flags: [ReadingFlag], raw: [UInt8],
                                  components: [ReadingComponent] = []) -> Reading {
        keyText.removeAll(keepingCapacity: true)
        keyText.appendText(kind.rawValue)
        keyText.append(UInt8(ascii: "|"))
        shown.write(into: &keyText)
        keyText.append(UInt8(ascii: "|"))
        keyText.appendText(unit)
        keyText.append(UInt8(ascii: "|"))
        keyText.appendTime(time)
        let n = occurrences.next(keyText)
        keyText.append(UInt8(ascii: "|"))
        keyText.appendDecimal(n)
        return Reading(profileID: profileID, deviceSerial: serial, deviceModel: Self.model,
                       recordKey: String(decoding: keyText, as: UTF8.self),
                       kind: kind, code: kind.loincCode(unit: unit) ?? "", value: value, unit: unit,
                       deviceTime: time, flags: flags, raw: raw, components: components)
    }
}
