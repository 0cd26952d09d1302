public import PocGateCore

/// The FreeStyle HID meters pocgate reads, told apart by USB product id: which serial and
/// record commands they answer, and how their records read (docs/protocols/freestyle-hid.md).
public enum FreeStyleHIDModel: String, Sendable, CaseIterable {
    /// FreeStyle Precision Neo / Optium Neo (1a61:3850): `$result?`, type 7 = blood glucose.
    case precisionNeo = "FreeStyle Precision Neo"
    /// FreeStyle InsuLinx (1a61:3460): `$result?`, type 0 = blood glucose.
    case insulinx = "FreeStyle InsuLinx"
    /// FreeStyle Libre reader (1a61:3650): `$sn?`, `$arresult?` (strip results and scans).
    case libre = "FreeStyle Libre"

    /// The model of a USB product id, or nil for one pocgate does not know.
    public init?(productID: UInt16) {
        switch productID {
        case 0x3850: self = .precisionNeo
        case 0x3460: self = .insulinx
        case 0x3650: self = .libre
        default: return nil
        }
    }

    /// The text command that answers the serial number.
    public var serialCommand: FreeStyleHIDCommand { self == .libre ? .libreSerialNumber : .serialNumber }
    /// The text command that answers the stored results.
    public var resultsCommand: FreeStyleHIDCommand { self == .libre ? .libreResults : .results }

    /// What one record of `resultsCommand`'s list is.
    public enum RecordReading: Sendable, Equatable {
        case reading(Reading)
        /// A record that is a result but is not stored, with why (kept as a problem).
        case notStored(FreeStyleHIDProblem)
        /// A record that is not a result (insulin, time change, other types): skipped.
        case notAResult
    }

    /// Reads one record as a reading. Glucose values are mg/dL (the notes and both public
    /// drivers read them so whatever the display unit).
    public func reading(_ record: FreeStyleRecordList.Record, profileID: String, serial: String) -> RecordReading {
        let f = record.fields
        func int(_ i: Int) -> Int? { i < f.count ? Int(f[i]) : nil }
        func notStored(_ why: String) -> RecordReading { .notStored(.notStored(reason: why, record: record.line)) }
        let valueIndex: Int
        let time: LocalDateTime?
        switch self {
        case .precisionNeo, .insulinx:
            let glucoseType = self == .precisionNeo ? "7" : "0"
            guard let type = f.first else { return .notAResult }
            if self == .precisionNeo && type == "9" {
                return notStored("β-ketone result not stored: its mmol/L scale (value/18) is reverse-engineered only")
            }
            guard type == glucoseType else { return .notAResult }
            valueIndex = self == .precisionNeo ? 8 : 13
            time = Self.time(int(4), int(2), int(3), int(5), int(6), 0)
        case .libre:
            guard f.count > 1, f[1] == "2" else { return .notAResult }
            switch f.count > 9 ? f[9] : "" {
            case "0": break
            case "1": return notStored("β-ketone result not stored: its mmol/L scale (value/18) is reverse-engineered only")
            case "2": return notStored("sensor scan not stored: interstitial glucose has no code pocgate can justify yet")
            default: return notStored("unknown reading type")
            }
            guard let errors = int(28), let marker = int(11) else { return notStored("record too short") }
            if errors & 0x8000 != 0 { return notStored("meter marks this result as an error") }
            if marker != 0 { return notStored("meter marks this result as LO or erroneous") }
            valueIndex = 12
            time = Self.time(int(4), int(2), int(3), int(5), int(6), int(7))
        }
        guard let time else { return notStored("invalid date or time in the record") }
        guard valueIndex < f.count else { return notStored("record too short") }
        let text = f[valueIndex]
        if text == "HI" || text == "LO" {
            return notStored("\(text) result not stored: the meter's glucose limit is not public")
        }
        guard let value = ExactDecimal(parsing: String(text)), Int(text) != nil, let code = ObservationKind.glucose.loincCode(unit: "mg/dL") else {
            return notStored("value is not a whole number")
        }
        let id = self == .libre ? String(f[0]) : (f.count > 1 ? String(f[1]) : "")
        let key = "\(id)|\(time)|\(text)"
        return .reading(Reading(profileID: profileID, deviceSerial: serial, deviceModel: rawValue, recordKey: key,
                                kind: .glucose, code: code, value: value, unit: "mg/dL",
                                deviceTime: time, flags: [], raw: Array(record.line.utf8)))
    }

    /// A record or clock time; nil when any field is missing or the date is impossible (255 =
    /// the meter's clock was never set).
    public static func time(_ year: Int?, _ month: Int?, _ day: Int?, _ hour: Int?, _ minute: Int?, _ second: Int?) -> LocalDateTime? {
        guard let year, let month, let day, let hour, let minute, let second, (0...99).contains(year) else { return nil }
        let t = LocalDateTime(year: 2000 + year, month: month, day: day, hour: hour, minute: minute, second: second)
        return t.isValid ? t : nil
    }

    /// The meter's clock from the `$date?` (`month,day,year`) and `$time?` (`hour,minute`) replies.
    public static func clock(date: [UInt8], time: [UInt8]) -> LocalDateTime? {
        let d = String(decoding: date, as: UTF8.self).trimmingSuffixCRLF.split(separator: ",").map { Int($0) }
        let t = String(decoding: time, as: UTF8.self).trimmingSuffixCRLF.split(separator: ",").map { Int($0) }
        guard d.count == 3, t.count == 2 else { return nil }
        return Self.time(d[2], d[0], d[1], t[0], t[1], 0)
    }
}

extension FreeStyleHIDModel {
    /// A one-line text reply (`$serlnum?`, `$swver?`) without its CR LF.
    public static func line(_ message: [UInt8]) -> String { String(decoding: message, as: UTF8.self).trimmingSuffixCRLF }
}

extension String {
    /// Without the trailing CR/LF of a text reply line.
    var trimmingSuffixCRLF: String {
        var s = Substring(self)
        while let last = s.last, last == "\r\n" || last == "\n" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
