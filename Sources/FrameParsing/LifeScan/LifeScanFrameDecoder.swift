/// Finds LifeScan binary frames in a byte stream. It resynchronises on the next STX after
/// garbage, a wrong ETX or a bad CRC. The frames carry no direction, so one decoder reads both
/// a meter's replies and a host's requests (a conversation capture holds both).
public struct LifeScanFrameDecoder: FrameDecoder, Sendable {
    public init() {}

    public var maximumFrameLength: Int { LifeScanFrame.maximumLength }

    @inlinable
    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeStep<LifeScanFrame> {
        guard let first = bytes.first else { return .needMore }
        guard first == LifeScanFrame.stx else {
            var n = 1
            while n < bytes.count && bytes[n] != LifeScanFrame.stx { n += 1 }
            return .skip(count: n, because: .garbage)
        }
        guard bytes.count >= 2 else { return .needMore }
        let length = Int(bytes[1])
        guard length >= LifeScanFrame.overhead else {
            return .skip(count: 1, because: .malformed("length \(length) is shorter than an empty frame"))
        }
        guard bytes.count >= length else {
            // A false STX with a large length must not hold back good frames behind it.
            if Self.hasCompleteFrame(in: bytes, before: bytes.count) {
                return .skip(count: 1, because: .malformed("length runs into a later frame"))
            }
            return .needMore
        }
        guard bytes[length - 3] == LifeScanFrame.etx else {
            return .skip(count: 1, because: .malformed("no ETX where the length puts it"))
        }
        // The same rule with the whole frame in view, so the answer does not depend on how
        // many of its bytes had arrived.
        if Self.hasCompleteFrame(in: bytes, before: length - 1) {
            return .skip(count: 1, because: .malformed("length runs into a later frame"))
        }
        let expected = CCITTFalse.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(length - 2)]))
        let carried = UInt16(bytes[length - 2]) | UInt16(bytes[length - 1]) << 8
        guard carried == expected else {
            return .skip(count: 1, because: .badChecksum(expected: UInt32(expected), actual: UInt32(carried)))
        }
        guard let message = InlineBytes(UnsafeRawBufferPointer(rebasing: bytes[3..<(length - 3)])) else {
            // A sound frame, but longer than any message pocgate knows: drop it whole.
            return .skip(count: length, because: .malformed("message of \(length - LifeScanFrame.overhead) bytes is longer than pocgate decodes"))
        }
        return .frame(LifeScanFrame(link: LifeScanLink(rawValue: bytes[2]), message: message), consumed: length)
    }

    /// The run of good frames at the start of `bytes`, each handed to `body`: the frames
    /// `decode` finds, with the same checks, without a `DecodeStep` per frame.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (LifeScanFrame) -> Void) -> (consumed: Int, frames: Int) {
        var offset = 0
        var frames = 0
        while bytes.count - offset >= LifeScanFrame.overhead {
            let b = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let length = Int(b[1])
            guard b[0] == LifeScanFrame.stx, length >= LifeScanFrame.overhead, b.count >= length,
                  b[length - 3] == LifeScanFrame.etx,
                  CCITTFalse.checksum(UnsafeRawBufferPointer(rebasing: b[0..<(length - 2)]))
                    == UInt16(b[length - 2]) | UInt16(b[length - 1]) << 8,
                  !Self.hasCompleteFrame(in: b, before: length - 1),
                  let message = InlineBytes(UnsafeRawBufferPointer(rebasing: b[3..<(length - 3)])) else { break }
            body(LifeScanFrame(link: LifeScanLink(rawValue: b[2]), message: message))
            offset += length
            frames += 1
        }
        return (offset, frames)
    }

    /// Whether a whole, checked frame starts after the first byte and ends by `end`.
    @usableFromInline
    static func hasCompleteFrame(in b: UnsafeRawBufferPointer, before end: Int) -> Bool {
        var i = 1
        while i < end {
            if b[i] == LifeScanFrame.stx && isCompleteFrame(UnsafeRawBufferPointer(rebasing: b[i..<end])) { return true }
            i += 1
        }
        return false
    }

    /// Whether a whole, checked frame starts at the first byte.
    @usableFromInline
    static func isCompleteFrame(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= LifeScanFrame.overhead else { return false }
        let length = Int(b[1])
        guard length >= LifeScanFrame.overhead, b.count >= length, b[length - 3] == LifeScanFrame.etx else { return false }
        let crc = CCITTFalse.checksum(UnsafeRawBufferPointer(rebasing: b[0..<(length - 2)]))
        return UInt16(b[length - 2]) | UInt16(b[length - 1]) << 8 == crc
    }
}
