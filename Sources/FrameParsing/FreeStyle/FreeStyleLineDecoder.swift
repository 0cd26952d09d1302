import PocGateCore

/// Finds FreeStyle Optium reply lines in a byte stream. Non-printable bytes are skipped as
/// garbage up to the last one in the line; printable noise in front of a record, clock, END or
/// `CMD OK` line is skipped too, because those lines have a fixed shape.
public struct FreeStyleLineDecoder: FrameDecoder, Sendable {
    /// The longest line pocgate accepts.
    public static let maximumLineLength = InlineBytes.capacity

    public init() {}

    public var maximumFrameLength: Int { Self.maximumLineLength + 2 }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<FreeStyleLine> {
        guard !b.isEmpty else { return .needMore }
        guard let lf = ASCIIField.index(of: 0x0A, in: b, from: 0, limit: Self.maximumLineLength + 2) else {
            if b.count >= Self.maximumLineLength + 2 {
                return .skip(count: 1, because: .malformed("line longer than \(Self.maximumLineLength) characters"))
            }
            return .needMore
        }
        var end = lf
        if end > 0 && b[end - 1] == 0x0D { end -= 1 }
        // Bytes no line holds: drop everything up to the last of them.
        var lastBad = -1
        for i in 0..<end where !(b[i] >= 0x20 && b[i] <= 0x7E) && b[i] != 0x09 { lastBad = i }
        if lastBad >= 0 { return .skip(count: lastBad + 1, because: .garbage) }
        let content = UnsafeRawBufferPointer(rebasing: b[0..<end])
        var kind = Self.classify(content)
        if case .text = kind {
            // Printable noise before a line with a fixed shape.
            for i in 1..<max(1, end) where Self.hasFixedShape(UnsafeRawBufferPointer(rebasing: b[i..<end])) {
                return .skip(count: i, because: .garbage)
            }
            kind = .text
        }
        guard let text = InlineBytes(content) else {
            return .skip(count: lf + 1, because: .malformed("line longer than \(Self.maximumLineLength) characters"))
        }
        let sum = Checksum.sum16(UnsafeRawBufferPointer(rebasing: b[0...lf]))
        return .frame(FreeStyleLine(kind: kind, text: text, sum: sum), consumed: lf + 1)
    }

    /// The run of frames at the start of `bytes`, each handed to `body`: `decode` in a loop
    /// that stops at the first answer other than a frame, so each frame is built once and
    /// handed over without a `DecodeStep` per frame.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (FreeStyleLine) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    @usableFromInline
    static func hasFixedShape(_ t: UnsafeRawBufferPointer) -> Bool {
        switch classify(t) {
        case .record, .clock, .end, .commandOK: return true
        case .blank, .count, .text: return false
        }
    }

    @usableFromInline
    static func classify(_ t: UnsafeRawBufferPointer) -> FreeStyleLine.Kind {
        switch t.count {
        case 0: return .blank
        case 3: return ASCIIField.digits(t, 0, 3).map(FreeStyleLine.Kind.count) ?? .text
        case 6: return ASCIIField.matches(t, 0, "CMD OK") ? .commandOK : .text
        case 11:
            guard ASCIIField.matches(t, 0, "0x"), ASCIIField.matches(t, 6, "  END"),
                  let sum = ASCIIHex.parse(t, at: 2, count: 4) else { return .text }
            return .end(checksum: sum)
        case 21:
            guard let date = date(t, 0), t[12] == 0x20, t[15] == UInt8(ascii: ":"), t[18] == UInt8(ascii: ":"),
                  let h = ASCIIField.digits(t, 13, 2), let mi = ASCIIField.digits(t, 16, 2),
                  let s = ASCIIField.digits(t, 19, 2) else { return .text }
            let time = LocalDateTime(year: date.year, month: date.month, day: date.day, hour: h, minute: mi, second: s)
            return .clock(time.isValid ? time : nil)
        case 30:
            return record(t).map(FreeStyleLine.Kind.record) ?? .text
        default:
            return .text
        }
    }

    /// `VVV  Mmmm DD YYYY HH:MM T 0xHH`.
    static func record(_ t: UnsafeRawBufferPointer) -> FreeStyleRecord? {
        let value: Int?
        if ASCIIField.matches(t, 0, "HI ") { value = nil } else {
            guard let v = ASCIIField.digits(t, 0, 3) else { return nil }
            value = v
        }
        guard ASCIIField.matches(t, 3, "  "), let date = date(t, 5), t[17] == 0x20, t[20] == UInt8(ascii: ":"),
              t[23] == 0x20, t[25] == 0x20, ASCIIField.matches(t, 26, "0x"),
              let h = ASCIIField.digits(t, 18, 2), let mi = ASCIIField.digits(t, 21, 2),
              let marker = ASCIIHex.parse(t, at: 28, count: 2),
              t[24] == UInt8(ascii: "G") || t[24] == UInt8(ascii: "K") else { return nil }
        let time = LocalDateTime(year: date.year, month: date.month, day: date.day, hour: h, minute: mi)
        guard time.isValid else { return nil }
        return FreeStyleRecord(time: time, value: value, type: t[24], marker: UInt8(marker))
    }

    /// `Mmmm DD YYYY` at `offset` (month: three letters and a space, or `June`/`July`).
    static func date(_ t: UnsafeRawBufferPointer, _ offset: Int) -> (year: Int, month: Int, day: Int)? {
        guard offset + 12 <= t.count, let month = FreeStyleMonth.number(t, offset), t[offset + 4] == 0x20,
              t[offset + 7] == 0x20, let d = ASCIIField.digits(t, offset + 5, 2),
              let y = ASCIIField.digits(t, offset + 8, 4) else { return nil }
        return (y, month, d)
    }
}

/// FreeStyle month names: three letters and a space, except `June` and `July` in full.
enum FreeStyleMonth {
    /// The month number of the four characters at `offset`, or nil. The four bytes are read
    /// as one little-endian word and matched against the twelve names.
    static func number(_ t: UnsafeRawBufferPointer, _ offset: Int) -> Int? {
        guard offset >= 0, offset + 4 <= t.count else { return nil }
        let word = UInt32(t[offset]) | UInt32(t[offset + 1]) << 8 | UInt32(t[offset + 2]) << 16 | UInt32(t[offset + 3]) << 24
        switch word {
        case 0x206E614A: return 1   // "Jan "
        case 0x20626546: return 2   // "Feb "
        case 0x2072614D: return 3   // "Mar "
        case 0x20727041: return 4   // "Apr "
        case 0x2079614D: return 5   // "May "
        case 0x656E754A: return 6   // "June"
        case 0x796C754A: return 7   // "July"
        case 0x20677541: return 8   // "Aug "
        case 0x20706553: return 9   // "Sep "
        case 0x2074634F: return 10   // "Oct "
        case 0x20766F4E: return 11   // "Nov "
        case 0x20636544: return 12   // "Dec "
        default: return nil
        }
    }
}
