#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds kiosk `AA 55` frames in a byte stream. Garbage is skipped with `memchr` up to the next
/// 0xAA; a frame with a bad CRC or an impossible length costs one byte, so a real frame that
/// starts inside it is still found. The length byte bounds every frame to 259 bytes.
///
/// A false start whose length byte runs past the bytes received must not hold back good frames
/// behind it (a capture that ends there would lose them): as soon as a whole, checked frame
/// starts after the first byte and ends within the claimed length, the first byte is dropped.
/// The same rule is applied with the whole claimed frame in view, so the answer never depends
/// on how the bytes were split; its price is that a frame which itself contains a whole valid
/// frame is read as the inner one.
public struct AA55FrameDecoder: FrameDecoder, Sendable {
    public init() {}

    /// The one-byte length bounds a frame.
    @inlinable
    public var maximumFrameLength: Int { AA55Frame.maximumLength }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<AA55Frame> {
        guard let first = b.first else { return .needMore }
        guard first == AA55Frame.sync0 else { return .skip(count: Self.garbageRun(b), because: .garbage) }
        guard b.count >= 2 else { return .needMore }
        guard b[1] == AA55Frame.sync1 else { return .skip(count: Self.garbageRun(b), because: .garbage) }
        guard b.count >= 4 else { return .needMore }
        let length = Int(b[3])
        guard length >= AA55Frame.minimumLengthByte else {
            return .skip(count: 1, because: .malformed("length byte below 2 leaves no type byte"))
        }
        let total = 4 + length
        guard b.count >= total else {
            if Self.hasCompleteFrame(in: b, before: b.count) {
                return .skip(count: 1, because: .malformed("length runs into a later frame"))
            }
            return .needMore
        }
        if Self.hasCompleteFrame(in: b, before: total - 1) {
            return .skip(count: 1, because: .malformed("length runs into a later frame"))
        }
        let crc = AA55CRC.checksum(UnsafeRawBufferPointer(rebasing: b[0..<(total - 1)]))
        guard crc == b[total - 1] else {
            return .skip(count: 1, because: .badChecksum(expected: UInt32(crc), actual: UInt32(b[total - 1])))
        }
        guard let body = InlineBytes(UnsafeRawBufferPointer(rebasing: b[4..<(total - 1)])) else {
            return .skip(count: total, because: .malformed("body longer than pocgate decodes (ID-card or waveform packet)"))
        }
        return .frame(AA55Frame(token: b[2], body: body), consumed: total)
    }

    /// The run of frames at the start of `bytes`, each handed to `body`: `decode` in a loop that
    /// stops at the first answer other than a frame.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (AA55Frame) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    /// Whether a whole, checked frame starts after the first byte and ends by `end`. A frame
    /// is at least six bytes, so only starts up to `end - 6` are tried; the scan is a plain
    /// loop (a kiosk frame is short). Kept out of line, so `decode` stays small enough to be
    /// inlined into the run loop.
    @usableFromInline
    static func hasCompleteFrame(in b: UnsafeRawBufferPointer, before end: Int) -> Bool {
        var i = 1
        while i + 6 <= end {
            if b[i] == AA55Frame.sync0 && b[i + 1] == AA55Frame.sync1 && isCompleteFrame(UnsafeRawBufferPointer(rebasing: b[i..<end])) {
                return true
            }
            i += 1
        }
        return false
    }

    /// Whether a whole frame with a matching CRC starts at the first byte of `b`.
    @usableFromInline
    static func isCompleteFrame(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 5, b[0] == AA55Frame.sync0, b[1] == AA55Frame.sync1, b[3] >= 2 else { return false }
        let total = 4 + Int(b[3])
        guard b.count >= total else { return false }
        return AA55CRC.checksum(UnsafeRawBufferPointer(rebasing: b[0..<(total - 1)])) == b[total - 1]
    }

    /// The bytes before the next 0xAA after the first byte (all of `bytes` when there is none).
    @usableFromInline
    static func garbageRun(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count > 1, let base = bytes.baseAddress else { return bytes.count }
        guard let hit = memchr(base + 1, Int32(AA55Frame.sync0), bytes.count - 1) else { return bytes.count }
        return UnsafeRawPointer(hit) - base
    }
}
