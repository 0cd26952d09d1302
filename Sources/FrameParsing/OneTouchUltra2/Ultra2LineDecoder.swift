import PocGateCore

/// Finds checked Ultra 2 reply lines in a byte stream. CR and LF between lines are folded into
/// the next line; bytes that cannot start a line are skipped up to the next that can; a line
/// whose checksum fails is dropped one byte at a time, so a good line after garbage is found.
public struct Ultra2LineDecoder: FrameDecoder, Sendable {
    /// The longest line text pocgate accepts (records are 54 characters).
    public static let maximumLineLength = InlineBytes.capacity
    /// Separators folded into one frame before they count as garbage.
    @usableFromInline static let maximumSeparators = 16

    public init() {}

    public var maximumFrameLength: Int { Self.maximumSeparators + Self.maximumLineLength + 6 }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<Ultra2Line> {
        var examined = 0
        return decode(b, examined: &examined)
    }

    /// `decode`, adding to `examined` the bytes its scans looked at. Every scan stops within
    /// `maximumFrameLength` bytes of where the answer's skip or frame ends, so a stream of any
    /// content costs a bounded number of byte looks per byte consumed (a line start followed by
    /// megabytes without CR or LF is rejected after `maximumLineLength + 6` bytes, not after a
    /// scan to the end of the input).
    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer, examined: inout Int) -> DecodeStep<Ultra2Line> {
        var start = 0
        while start < b.count && (b[start] == 0x0D || b[start] == 0x0A) { start += 1 }
        examined += start
        // Only the separators beyond the last `maximumSeparators` are garbage, so the line
        // after them gets the same ones however the run arrived.
        if start > Self.maximumSeparators { return .skip(count: start - Self.maximumSeparators, because: .garbage) }
        guard start < b.count else { return .needMore }
        guard Self.canStartLine(b[start]) else {
            // Stop before CR or LF too: they fold into the next line, whether or not they
            // had arrived when this skip was decided.
            var n = start + 1
            while n < b.count && !Self.canStartLine(b[n]) && b[n] != 0x0D && b[n] != 0x0A { n += 1 }
            examined += n - start + 1
            return .skip(count: n, because: .garbage)
        }
        // The line end is looked for no further than the longest line could put it: the
        // answer depends only on those bytes, however many more follow.
        let limit = min(b.count, start + Self.maximumLineLength + 6)
        var end = start
        while end < limit && b[end] != 0x0D && b[end] != 0x0A { end += 1 }
        examined += end - start + 1
        guard end < limit else {
            if end - start > Self.maximumLineLength + 5 {
                return .skip(count: start + 1, because: .malformed("line longer than \(Self.maximumLineLength) characters"))
            }
            return .needMore
        }
        let lineLength = end - start
        guard lineLength >= 6, lineLength - 5 <= Self.maximumLineLength, b[end - 5] == 0x20,
              let carried = ASCIIHex.parse(b, at: end - 4, count: 4) else {
            return .skip(count: start + 1, because: .malformed("line without a checksum"))
        }
        let text = UnsafeRawBufferPointer(rebasing: b[start..<(end - 5)])
        let sum = Checksum.sum16(text)
        examined += text.count
        guard sum == carried else {
            return .skip(count: start + 1, because: .badChecksum(expected: UInt32(sum), actual: UInt32(carried)))
        }
        let line = Ultra2Line(kind: Self.classify(text), text: InlineBytes(text)!, checksum: carried)
        return .frame(line, consumed: end + 1)
    }

    /// The run of frames at the start of `bytes`, each handed to `body`: `decode` in a loop
    /// that stops at the first answer other than a frame, so each frame is built once and
    /// handed over without a `DecodeStep` per frame.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (Ultra2Line) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    /// Reply lines start with a capital letter, `?` or `@`.
    @inlinable @inline(__always)
    static func canStartLine(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "?") || c == UInt8(ascii: "@")
    }

    @usableFromInline
    static func classify(_ t: UnsafeRawBufferPointer) -> Ultra2Line.Kind {
        guard let first = t.first else { return .other }
        switch first {
        case UInt8(ascii: "P"):
            if ASCIIField.matches(t, 0, "P \"") { return record(t).map(Ultra2Line.Kind.record) ?? .unparsedRecord }
            if Ultra2Line.serialRange(dumpHeader: t) != nil, let n = ASCIIField.digits(t, 2, 3) { return .dumpHeader(count: n) }
            return .other
        case UInt8(ascii: "@"):
            return Ultra2Line.serialRange(serialLine: t) != nil ? .serial : .other
        case UInt8(ascii: "F"):
            return t.count == 32 && ASCIIField.matches(t, 1, " \"") ? .clock(dateTime(t)) : .other
        case UInt8(ascii: "S"):
            return t.count == 12 && ASCIIField.matches(t, 0, "SU?,\"") && t[11] == UInt8(ascii: "\"") ? .unitSetting : .other
        case UInt8(ascii: "?"):
            return .firmware
        default:
            return .other
        }
    }

    /// `"DOW","MM/DD/YY","HH:MM:SS   "` starting at offset 2.
    static func dateTime(_ t: UnsafeRawBufferPointer) -> LocalDateTime? {
        guard ASCIIField.matches(t, 2, "\""), ASCIIField.matches(t, 6, "\",\""), t[11] == UInt8(ascii: "/"),
              t[14] == UInt8(ascii: "/"), ASCIIField.matches(t, 17, "\",\""), t[22] == UInt8(ascii: ":"),
              t[25] == UInt8(ascii: ":"), ASCIIField.matches(t, 28, "   \""),
              let mo = ASCIIField.digits(t, 9, 2), let d = ASCIIField.digits(t, 12, 2), let y = ASCIIField.digits(t, 15, 2),
              let h = ASCIIField.digits(t, 20, 2), let mi = ASCIIField.digits(t, 23, 2), let s = ASCIIField.digits(t, 26, 2)
        else { return nil }
        let time = LocalDateTime(year: 2000 + y, month: mo, day: d, hour: h, minute: mi, second: s)
        return time.isValid ? time : nil
    }

    /// The record fields of a `P "…` line: the Ultra 2's 54 characters
    /// `P "DOW","MM/DD/YY","HH:MM:SS   ","C VVV?","M","cc", 00`, or the original OneTouch
    /// Ultra's 45, `P "DOW","MM/DD/YY","HH:MM:SS   ","C VVV?", 00`, which has no meal or
    /// comment field (read as meal `N`, comment 0: nothing marked).
    static func record(_ t: UnsafeRawBufferPointer) -> Ultra2Record? {
        guard t.count == 54 || t.count == 45, let time = dateTime(t), ASCIIField.matches(t, 32, ",\""), t[35] == 0x20,
              let value = ASCIIField.paddedDigits(t, 36, 3) else { return nil }
        let meal: UInt8, comment: Int
        if t.count == 45 {
            guard ASCIIField.matches(t, 40, "\", 00") else { return nil }
            (meal, comment) = (UInt8(ascii: "N"), 0)
        } else {
            guard ASCIIField.matches(t, 40, "\",\""), ASCIIField.matches(t, 44, "\",\""), ASCIIField.matches(t, 49, "\", 00"),
                  let code = ASCIIField.digits(t, 47, 2), code <= 11 else { return nil }
            (meal, comment) = (t[43], code)
        }
        let control = t[34], parity = t[39]
        guard control == UInt8(ascii: "C") || control == 0x20, parity == UInt8(ascii: "?") || parity == 0x20,
              meal == UInt8(ascii: "N") || meal == UInt8(ascii: "B") || meal == UInt8(ascii: "A") else { return nil }
        return Ultra2Record(time: time, mgdL: value, controlSolution: control != 0x20, parityError: parity != 0x20,
                            meal: meal, comment: comment)
    }
}
