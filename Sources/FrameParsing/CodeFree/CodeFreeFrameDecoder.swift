/// Finds SD CodeFree frames in a byte stream: resynchronises on the next 0x53 after garbage,
/// a wrong end byte or a bad XOR, and accepts only the direction it was built for.
public struct CodeFreeFrameDecoder: FrameDecoder, Sendable {
    public var direction: CodeFreeFrame.Direction

    public init(direction: CodeFreeFrame.Direction = .meterToHost) {
        self.direction = direction
    }

    public var maximumFrameLength: Int { CodeFreeFrame.maximumLength }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<CodeFreeFrame> {
        guard let first = b.first else { return .needMore }
        guard first == CodeFreeFrame.start else {
            var n = 1
            while n < b.count && b[n] != CodeFreeFrame.start { n += 1 }
            return .skip(count: n, because: .garbage)
        }
        guard b.count >= 3 else { return .needMore }
        guard b[1] == direction.rawValue else {
            return .skip(count: 1, because: .malformed("direction byte 0x\(Hex.byte(b[1])) is not 0x\(Hex.byte(direction.rawValue))"))
        }
        let length = Int(b[2])
        guard length >= 3 else { return .skip(count: 1, because: .malformed("length \(length) leaves no message")) }
        let total = 3 + length
        guard b.count >= total else {
            // A false start with a large length must not hold back good frames behind it.
            if hasCompleteFrame(in: b, before: b.count) {
                return .skip(count: 1, because: .malformed("length runs into a later frame"))
            }
            return .needMore
        }
        guard b[total - 1] == CodeFreeFrame.end else {
            return .skip(count: 1, because: .malformed("no 0xAA where the length puts the end"))
        }
        // The same rule with the whole frame in view, so the answer does not depend on how
        // many of its bytes had arrived.
        if hasCompleteFrame(in: b, before: total - 1) {
            return .skip(count: 1, because: .malformed("length runs into a later frame"))
        }
        let message = UnsafeRawBufferPointer(rebasing: b[3..<(total - 2)])
        let x = Checksum.xor8(message)
        guard x == b[total - 2] else {
            return .skip(count: 1, because: .badChecksum(expected: UInt32(x), actual: UInt32(b[total - 2])))
        }
        guard let m = InlineBytes(message) else {
            return .skip(count: total, because: .malformed("message of \(message.count) bytes is longer than pocgate decodes"))
        }
        return .frame(CodeFreeFrame(direction: direction, message: m), consumed: total)
    }

    /// The run of frames at the start of `bytes`, each handed to `body`: `decode` in a loop
    /// that stops at the first answer other than a frame, so each frame is built once and
    /// handed over without a `DecodeStep` per frame.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (CodeFreeFrame) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    /// Whether a whole, checked frame of the wanted direction starts after the first byte and
    /// ends by `end`.
    @usableFromInline
    func hasCompleteFrame(in b: UnsafeRawBufferPointer, before end: Int) -> Bool {
        var i = 1
        while i < end {
            if b[i] == CodeFreeFrame.start && isCompleteFrame(UnsafeRawBufferPointer(rebasing: b[i..<end])) { return true }
            i += 1
        }
        return false
    }

    /// Whether a whole, checked frame of the wanted direction starts at the first byte.
    @usableFromInline
    func isCompleteFrame(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 6, b[1] == direction.rawValue, b[2] >= 3 else { return false }
        let total = 3 + Int(b[2])
        guard b.count >= total, b[total - 1] == CodeFreeFrame.end else { return false }
        return Checksum.xor8(UnsafeRawBufferPointer(rebasing: b[3..<(total - 2)])) == b[total - 2]
    }
}
