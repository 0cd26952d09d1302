/// Finds TaiDoc frames in a byte stream: resynchronises on the next 0x51 after garbage or a
/// bad checksum, and accepts only the direction it was built for.
public struct TaiDocFrameDecoder: FrameDecoder, Sendable {
    /// The direction of the frames wanted (replies from a meter, or a host's requests).
    public var direction: TaiDocFrame.Direction

    public init(direction: TaiDocFrame.Direction = .meterToHost) {
        self.direction = direction
    }

    public var maximumFrameLength: Int { TaiDocFrame.length }

    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeStep<TaiDocFrame> {
        guard let first = bytes.first else { return .needMore }
        guard first == TaiDocFrame.start else {
            // Skip to the next possible start in one step.
            var n = 1
            while n < bytes.count && bytes[n] != TaiDocFrame.start { n += 1 }
            return .skip(count: n, because: .garbage)
        }
        guard bytes.count >= TaiDocFrame.length else { return .needMore }
        guard bytes[6] == direction.rawValue else {
            return .skip(count: 1, because: .malformed("direction byte 0x\(String(bytes[6], radix: 16)) is not 0x\(String(direction.rawValue, radix: 16))"))
        }
        let expected = Checksum.sum8(UnsafeRawBufferPointer(rebasing: bytes[0..<7]))
        guard bytes[7] == expected else {
            return .skip(count: 1, because: .badChecksum(expected: UInt32(expected), actual: UInt32(bytes[7])))
        }
        let frame = TaiDocFrame(command: bytes[1], payload: (bytes[2], bytes[3], bytes[4], bytes[5]), direction: direction)
        return .frame(frame, consumed: TaiDocFrame.length)
    }
}
