import PocGateCore

/// What a TaiDoc record is, for its record key and its occurrence count, as fixed-size values.
///
/// A glucose record keeps the key it always had (minute, value, flag byte:
/// `2024-06-15T09:00|123|00`), so readings stored before the layouts were decoded are not
/// stored again; other layouts are prefixed by their name and carry every value and flag byte
/// (`blood-pressure|2024-06-15T09:00|7A504E48|8000`), a record whose layout is unknown by
/// `undecoded`. Two identities are equal exactly when their texts are.
struct TaiDocRecordIdentity: Hashable {
    /// Which text the identity has.
    enum Form: Hashable {
        /// Minute, value, flag byte (glucose, glucose with code number, multi-analyte glucose).
        case glucose
        /// A layout's name, minute, value and time flag bytes.
        case layout(TaiDocLayout)
        /// `undecoded`, minute, value and time flag bytes.
        case undecoded
    }

    let form: Form
    /// The record's minute (its seconds are always zero in a TaiDoc time reply).
    let year: Int, month: Int, day: Int, hour: Int, minute: Int
    /// Glucose: the raw value (bits 0…15) and the flag byte (bits 16…23). Otherwise the value
    /// reply's d0…d3 (bits 0…31) and the time reply's d2 d3 (bits 32…47).
    let bytes: UInt64

    init(time: LocalDateTime, layout: Result<TaiDocLayout, TaiDocRecordProblem>, info: TaiDocPayload.ValueInfo,
         payload: (UInt8, UInt8, UInt8, UInt8), timeBytes: (UInt8, UInt8, UInt8, UInt8)) {
        (year, month, day, hour, minute) = (time.year, time.month, time.day, time.hour, time.minute)
        switch layout {
        case .success(.glucose), .success(.glucoseCodeNumber):
            form = .glucose
        case .success(.multiAnalyte) where info.analyte == 0:
            form = .glucose
        case let .success(l):
            form = .layout(l)
        case .failure:
            form = .undecoded
        }
        if form == .glucose {
            bytes = UInt64(info.raw) | UInt64(info.flagByte) << 16
        } else {
            bytes = UInt64(payload.0) | UInt64(payload.1) << 8 | UInt64(payload.2) << 16 | UInt64(payload.3) << 24
                | UInt64(timeBytes.2) << 32 | UInt64(timeBytes.3) << 40
        }
    }

    /// Replaces `text` with the record key: the identity's text, `|`, the occurrence `n`.
    func write(into text: inout [UInt8], occurrence n: Int) {
        text.removeAll(keepingCapacity: true)
        let stamp = LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute)
        switch form {
        case .glucose:
            text.appendMinuteStamp(stamp)
            text.append(UInt8(ascii: "|"))
            text.appendDecimal(UInt16(truncatingIfNeeded: bytes))
            text.append(UInt8(ascii: "|"))
            text.appendHex(UInt8(truncatingIfNeeded: bytes >> 16))
        case let .layout(l):
            text.appendText(l.rawValue)
            writeBytes(stamp, into: &text)
        case .undecoded:
            text.appendText("undecoded" as StaticString)
            writeBytes(stamp, into: &text)
        }
        text.append(UInt8(ascii: "|"))
        text.appendDecimal(n)
    }

    /// `|minute|d0d1d2d3|d2d3` in uppercase hex, after a layout's name.
    private func writeBytes(_ stamp: LocalDateTime, into text: inout [UInt8]) {
        text.append(UInt8(ascii: "|"))
        text.appendMinuteStamp(stamp)
        text.append(UInt8(ascii: "|"))
        for shift in stride(from: 0, to: 32, by: 8) { text.appendHex(UInt8(truncatingIfNeeded: bytes >> UInt64(shift))) }
        text.append(UInt8(ascii: "|"))
        text.appendHex(UInt8(truncatingIfNeeded: bytes >> 32))
        text.appendHex(UInt8(truncatingIfNeeded: bytes >> 40))
    }
}
