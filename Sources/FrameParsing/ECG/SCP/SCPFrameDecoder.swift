
/// Finds whole SCP-ECG records in a byte stream, for carts that send the SCP file itself over
/// a serial or USB-serial line. A record starts with its CRC and length, then section 0,
/// whose header carries id 0 and the text `SCPECG` at record bytes 16…21; that text is what
/// the decoder resynchronises on. Once the length is known it waits for the whole record and
/// checks the record CRC; the sections are decoded later (`SCPRecord`), so a record with a
/// good CRC but content pocgate refuses becomes a named problem, not a skipped frame. A record
/// whose length runs past a later whole record (a damaged length field) is skipped as soon as
/// that later record is in, so it is delivered without waiting for bytes that may never come.
///
/// Finding that later record is the costly part: it may start anywhere after the first byte.
/// The decoder keeps what it found in an `SCPScanState` (the stream holds it between calls),
/// which searches each byte for the marker once and checks each candidate's CRC once, from
/// running CRC registers rather than a pass over its claimed length; so the work is linear
/// in the bytes fed, however they arrive and whatever they hold (see `SCPScanState`).
public struct SCPFrameDecoder: FrameDecoder, Sendable {
    public typealias ScanState = SCPScanState

    public init() {}

    /// The text in section 0's reserved bytes.
    public static let marker: [UInt8] = Array("SCPECG".utf8)
    /// Where the marker sits from the record's first byte.
    public static let markerOffset = 16

    public var maximumFrameLength: Int { SCPRecord.maximumLength }

    /// The run of frames at the start of `bytes`: `decode` in a loop that stops at the first
    /// answer other than a frame.
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (SCPFrame) -> Void) -> (consumed: Int, frames: Int) {
        var state = SCPScanState()
        return decodeFrames(bytes, resuming: &state, body)
    }

    /// `decodeFrames` with the stream's scan state, left at the first byte not consumed.
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, resuming state: inout SCPScanState,
                             _ body: (SCPFrame) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, resuming: &state, body)
    }

    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<SCPFrame> {
        var state = SCPScanState()
        return decode(b, resuming: &state)
    }

    public func decode(_ b: UnsafeRawBufferPointer, resuming state: inout SCPScanState) -> DecodeStep<SCPFrame> {
        // Fewer bytes than the state has seen: not the bytes it describes, so start afresh.
        if state.reach > state.origin + b.count {
            let work = state.work
            state = SCPScanState()
            state.work = work
        }
        // Positions whose record header is fully in view and is not a record start are
        // garbage; the first position that could still start one ends the skip.
        var start = 0
        while start < b.count {
            switch Self.plausibleStart(b, at: start) {
            case .yes, .unknown:
                state.work += start + 1
                if start > 0 { return .skip(count: start, because: .garbage) }
                return decodeRecord(b, &state)
            case .no:
                start += 1
            }
        }
        state.work += start
        return .skip(count: max(1, start), because: .garbage)
    }

    func decodeRecord(_ b: UnsafeRawBufferPointer, _ state: inout SCPScanState) -> DecodeStep<SCPFrame> {
        guard b.count >= Self.markerOffset + Self.marker.count else { return .needMore }
        let length: Int
        switch Self.statedLength(b) {
        case let .length(l): length = l
        case let .refused(issue): return .skip(count: 1, because: issue)
        }
        let origin = state.origin
        guard b.count >= length else {
            // A record whose length was damaged upward must not hold back the whole records a
            // cart sent after it: a cart never resends, so a record held here is lost if the
            // daemon stops before enough bytes arrive to fill the false length.
            state.look(b, to: origin + b.count)
            if state.nearestLaterGoodEnd() != nil { return .skip(count: 1, because: Self.runsIntoALaterRecord) }
            return .needMore
        }
        // The same rule with the whole record in view (and before the CRC, which it would
        // fail), so the answer does not depend on how many of its bytes had arrived.
        state.look(b, to: origin + length)
        if let end = state.nearestLaterGoodEnd(), end <= origin + length - 1 {
            return .skip(count: 1, because: Self.runsIntoALaterRecord)
        }
        let crc = state.candidateAtOrigin()?.computed.map { ($0, SCPBytes.u16(b, 0)) } ?? Self.recordCRC(b, length: length)
        guard crc.0 == crc.1 else {
            return .skip(count: 1, because: .badChecksum(expected: UInt32(crc.0), actual: UInt32(crc.1)))
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
