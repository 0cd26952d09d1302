public import PocGateCore

/// One stored measurement of an Omron HEM-790IT-class monitor, as the `GME` answer carries it
/// after `OK`: status 0x00; year (2 digits), month, day, hour, minute, second of the device
/// clock; 2 unknown bytes; systolic and diastolic (mmHg); pulse (/min); 1 unknown byte; the
/// status byte (high nibble: 0 a single measurement, 1–3 its place in a 3-measurement average);
/// the XOR check.
public struct OmronRecord: Sendable, Equatable {
    /// The bank (user switch A = 0, B = 1) it was read from.
    public var bank: UInt8
    /// The 15 bytes after `OK`.
    public var payload: [UInt8]
    /// How many earlier records of this bank in the same dump had the same content (0 normally).
    public var occurrence: Int

    public init(bank: UInt8, payload: [UInt8], occurrence: Int = 0) {
        self.bank = bank
        self.payload = payload
        self.occurrence = occurrence
    }

    /// The device-clock time stamp (the clinic's local time, as set on the monitor).
    public var time: LocalDateTime {
        LocalDateTime(year: 2000 + Int(payload[1]), month: Int(payload[2]), day: Int(payload[3]),
                      hour: Int(payload[4]), minute: Int(payload[5]), second: Int(payload[6]))
    }

    public var systolic: Int { Int(payload[9]) }
    public var diastolic: Int { Int(payload[10]) }
    public var pulse: Int { Int(payload[11]) }
    /// The status byte (average position in its high nibble).
    public var status: UInt8 { payload[13] }

    /// The bank as the monitor labels it.
    public var bankLetter: String { bank == 0 ? "A" : bank == 1 ? "B" : "bank\(bank)" }

    /// The identity of the measurement within its bank: what it is, never its memory index.
    public var recordKey: String {
        "\(time)|\(systolic)/\(diastolic)/\(pulse)|\(Hex.byte(status))|\(occurrence)"
    }

    /// The serial a reading of this bank carries: the monitor's, with the bank letter, so each
    /// user of a two-user monitor is its own device for the patient binding.
    public func serial(_ monitorSerial: String) -> String { "\(monitorSerial)-\(bankLetter)" }

    /// The blood-pressure panel (systolic, diastolic; the notes give no mean) and, when a pulse
    /// was measured, a heart rate; or why the record cannot be read.
    public func readings(profileID: String, monitorSerial: String, model: String) -> Result<[Reading], OmronProblem> {
        let hex = Hex.string(payload)
        guard time.isValid else { return .failure(.invalidTime(hex: hex)) }
        guard diastolic > 0, diastolic < systolic else { return .failure(.implausiblePressure(hex: hex)) }
        let serial = serial(monitorSerial)
        func reading(_ kind: ObservationKind, _ value: Int, _ unit: String, key: String, components: [ReadingComponent] = []) -> Reading {
            Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: key, kind: kind,
                    code: kind.loincCode(unit: unit) ?? "", value: ExactDecimal(value), unit: unit, deviceTime: time,
                    flags: [], raw: payload, components: components)
        }
        let parts = [ReadingComponent(kind: .systolicPressure, value: ExactDecimal(systolic), unit: "mm[Hg]"),
                     ReadingComponent(kind: .diastolicPressure, value: ExactDecimal(diastolic), unit: "mm[Hg]")]
        var out = [reading(.bloodPressure, systolic, "mm[Hg]", key: recordKey, components: parts)]
        if pulse > 0 { out.append(reading(.heartRate, pulse, "/min", key: recordKey + "|pulse")) }
        return .success(out)
    }
}
