#if canImport(Glibc)
import Glibc
#endif

/// Finds whole SCP-ECG records in a byte stream, for carts that send the SCP file itself over
/// a serial or USB-serial line. A record starts with its CRC and length, then section 0,
/// whose header carries id 0 and the text `SCPECG` at record bytes 16…21; that text is what
/// the decoder resynchronises on. Once the length is known it waits for the whole record and
/// checks the record CRC; the sections are decoded later (`SCPRecord`), so a record with a
/// good CRC but content pocgate refuses becomes a named problem, not a skipped frame. A record
/// whose length runs past a later whole record (a damaged length field) is skipped as soon as
/// that later record is in, so it is delivered without waiting for bytes that may never come.
public struct SCPFrameDecoder: FrameDecoder, Sendable {
    public init() {}

    /// The text in section 0's reserved bytes.
    public static let marker: [UInt8] = Array("SCPECG".utf8)
    /// Where the marker sits from the record's first byte.
    public static let markerOffset = 16

    public var maximumFrameLength: Int { SCPRecord.maximumLength }

    /// The run of frames at the start of `bytes`: `decode` in a loop that stops at the first
    /// answer other than a frame.
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (SCPFrame) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<SCPFrame> {
        let headerEnd = Self.markerOffset + Self.marker.count
        // Positions whose record header is fully in view and is not a record start are
        // garbage; the first position that could still start one ends the skip.
        var start = 0
        while start < b.count {
            switch Self.plausibleStart(b, at: start) {
            case .yes, .unknown:
                if start > 0 { return .skip(count: start, because: .garbage) }
                return decodeRecord(b, headerEnd: headerEnd)
            case .no:
                start += 1
            }
        }
        return .skip(count: max(1, start), because: .garbage)
    }

    func decodeRecord(_ b: UnsafeRawBufferPointer, headerEnd: Int) -> DecodeStep<SCPFrame> {
        guard b.count >= headerEnd else { return .needMore }
        let length: Int
        switch Self.statedLength(b) {
        case let .length(l): length = l
        case let .refused(issue): return .skip(count: 1, because: issue)
        }
        guard b.count >= length else {
            // A record whose length was damaged upward must not hold back the whole records a
            // cart sent after it: a cart never resends, so a record held here is lost if the
            // daemon stops before enough bytes arrive to fill the false length.
            if Self.hasCompleteRecord(in: b, before: b.count) { return .skip(count: 1, because: Self.runsIntoALaterRecord) }
            return .needMore
        }
        // The same rule with the whole record in view (and before the CRC, which it would
        // fail), so the answer does not depend on how many of its bytes had arrived.
        if Self.hasCompleteRecord(in: b, before: length - 1) { return .skip(count: 1, because: Self.runsIntoALaterRecord) }
        let crc = Self.recordCRC(b, length: length)
        guard crc.computed == crc.carried else {
            return .skip(count: 1, because: .badChecksum(expected: UInt32(crc.computed), actual: UInt32(crc.carried)))
        }
        return .frame(SCPFrame(bytes: Array(b[0..<length])), consumed: length)
    }

    /// What a record header says of the record's length.
    enum StatedLength {
        case length(Int)
        /// No record can start here.
        case refused(DecodeIssue)
    }

    /// The record length the header at the start of `b` states (its first `headerEnd` bytes
    /// must be in view), or why no record can start there.
    static func statedLength(_ b: UnsafeRawBufferPointer) -> StatedLength {
        let length = Int(SCPBytes.u32(b, 2))
        guard length >= SCPRecord.minimumLength else { return .refused(.malformed("record length shorter than a record header")) }
        guard length <= SCPRecord.maximumLength else { return .refused(.oversized) }
        let section0 = Int(SCPBytes.u32(b, 10))
        guard section0 >= SCPSection.headerLength, section0 <= length - 6 else {
            return .refused(.malformed("section 0 length does not fit the record"))
        }
        return .length(length)
    }

    /// The record CRC computed over bytes 2 ..< `length` of `b`, and the one the record carries.
    static func recordCRC(_ b: UnsafeRawBufferPointer, length: Int) -> (computed: UInt16, carried: UInt16) {
        (CCITTFalse.checksum(UnsafeRawBufferPointer(rebasing: b[2..<length])), SCPBytes.u16(b, 0))
    }

    static let runsIntoALaterRecord = DecodeIssue.malformed("record length runs past a later complete record")

    /// Whether a whole record with a good CRC starts after the first byte of `b` and ends by
    /// `end`. Candidates are found by the first byte of their `SCPECG` marker (`memchr`), so a
    /// long record costs one fast scan, and only a candidate gets a CRC pass.
    static func hasCompleteRecord(in b: UnsafeRawBufferPointer, before end: Int) -> Bool {
        guard let base = b.baseAddress else { return false }
        var from = markerOffset + 1
        let first = Int32(marker[0])
        while from + marker.count <= end {
            guard let hit = memchr(base + from, first, end - marker.count + 1 - from) else { return false }
            let at = UnsafeRawPointer(hit) - base
            if isCompleteRecord(UnsafeRawBufferPointer(rebasing: b[(at - markerOffset)..<end])) { return true }
            from = at + 1
        }
        return false
    }

    /// Whether `r` begins with a whole record: the same header, length and CRC checks as
    /// `decode`, with all of the record inside `r`.
    static func isCompleteRecord(_ r: UnsafeRawBufferPointer) -> Bool {
        guard plausibleStart(r, at: 0) == .yes, case let .length(length) = statedLength(r), length <= r.count else { return false }
        let crc = recordCRC(r, length: length)
        return crc.computed == crc.carried
    }

    enum Plausible { case yes, no, unknown }

    /// Whether a record could start at `i`: section 0's id (0) at +8 and `SCPECG` at +16,
    /// judged on the bytes in view (`unknown` when they run out first).
    static func plausibleStart(_ b: UnsafeRawBufferPointer, at i: Int) -> Plausible {
        for offset in 8..<(markerOffset + marker.count) where offset < 10 || offset >= markerOffset {
            guard i + offset < b.count else { return .unknown }
            let wanted = offset < 10 ? 0 : marker[offset - markerOffset]
            if b[i + offset] != wanted { return .no }
        }
        return .yes
    }
}

/// One SCP-ECG record as it arrived, its record CRC checked.
public struct SCPFrame: Sendable, Hashable {
    /// The whole record.
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
}
