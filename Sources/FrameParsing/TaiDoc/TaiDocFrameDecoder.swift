#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds TaiDoc frames in a byte stream: resynchronises on the next 0x51 after garbage or a
/// bad checksum, and accepts only the direction it was built for.
///
/// The frame path reads the 8 bytes as one little-endian `UInt64` and checks start byte,
/// direction and checksum with a few register operations; garbage is skipped with `memchr`.
public struct TaiDocFrameDecoder: FrameDecoder, Sendable {
    /// The direction of the frames wanted (replies from a meter, or a host's requests).
    public var direction: TaiDocFrame.Direction

    /// A decoder for frames travelling in `direction` (by default, a meter's replies).
    public init(direction: TaiDocFrame.Direction = .meterToHost) {
        self.direction = direction
    }

    /// Every TaiDoc frame is 8 bytes.
    @inlinable
    public var maximumFrameLength: Int { TaiDocFrame.length }

    /// One frame, or the garbage up to the next 0x51, or one byte of a frame with the wrong
    /// direction or checksum; `needMore` for a start byte with fewer than 8 bytes.
    @inlinable
    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeStep<TaiDocFrame> {
        guard bytes.count >= TaiDocFrame.length else {
            guard let first = bytes.first else { return .needMore }
            return first == TaiDocFrame.start ? .needMore : .skip(count: Self.garbageRun(bytes), because: .garbage)
        }
        let word = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard UInt8(truncatingIfNeeded: word) == TaiDocFrame.start else {
            return .skip(count: Self.garbageRun(bytes), because: .garbage)
        }
        guard UInt8(truncatingIfNeeded: word >> 48) == direction.rawValue else {
            return .skip(count: 1, because: .malformed("the direction byte is not the one this decoder accepts"))
        }
        let expected = Self.sum8OfLowSevenBytes(word)
        let carried = UInt8(truncatingIfNeeded: word >> 56)
        guard carried == expected else {
            return .skip(count: 1, because: .badChecksum(expected: UInt32(expected), actual: UInt32(carried)))
        }
        return .frame(frame(word), consumed: TaiDocFrame.length)
    }

    /// The run of good frames at the start of `bytes`, checked four at a time: four 8-byte
    /// loads, four checks folded into one test, then the four frames. The tail of the run
    /// goes one frame at a time.
    @inlinable @inline(__always)
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (TaiDocFrame) -> Void) -> (consumed: Int, frames: Int) {
        guard let base = bytes.baseAddress else { return (0, 0) }
        let n = TaiDocFrame.length
        var offset = 0
        while offset + 4 * n <= bytes.count {
            let w0 = word(base, offset), w1 = word(base, offset + n), w2 = word(base, offset + 2 * n), w3 = word(base, offset + 3 * n)
            guard mismatch(w0) | mismatch(w1) | mismatch(w2) | mismatch(w3) == 0 else { break }
            body(frame(w0))
            body(frame(w1))
            body(frame(w2))
            body(frame(w3))
            offset &+= 4 * n
        }
        while offset + n <= bytes.count {
            let w = word(base, offset)
            guard mismatch(w) == 0 else { break }
            body(frame(w))
            offset &+= n
        }
        return (offset, offset / n)
    }

    /// The 8 bytes at `offset` as a little-endian word (byte 0 in the low bits).
    @inlinable @inline(__always)
    func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: (base + offset).loadUnaligned(as: UInt64.self))
    }

    /// Zero exactly when `word` is a good frame for this decoder: start byte, direction byte
    /// and checksum all right. The byte sum is one vector reduction (`psadbw` on x86), and
    /// Σ bytes 0…7 − 2·byte 7 ≡ Σ bytes 0…6 − byte 7 (mod 256) is zero for a good checksum.
    @inlinable @inline(__always)
    func mismatch(_ word: UInt64) -> UInt64 {
        let fixed = UInt64(direction.rawValue) << 48 | UInt64(TaiDocFrame.start)
        let all = unsafeBitCast(word, to: SIMD8<UInt8>.self).wrappedSum()
        let sum = all &- UInt8(truncatingIfNeeded: word >> 56) &* 2
        return (word & 0x00FF_0000_0000_00FF ^ fixed) | UInt64(sum)
    }

    /// The frame in a checked little-endian word.
    @inlinable @inline(__always)
    func frame(_ word: UInt64) -> TaiDocFrame {
        let payload = (UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 24),
                       UInt8(truncatingIfNeeded: word >> 32), UInt8(truncatingIfNeeded: word >> 40))
        return TaiDocFrame(command: UInt8(truncatingIfNeeded: word >> 8), payload: payload, direction: direction)
    }

    /// Σ of bytes 0…6 of `word` mod 256 (the TaiDoc checksum) without a loop: adjacent bytes
    /// are added into four 16-bit lanes (each ≤ 510), and one multiply sums the lanes into the
    /// top lane (≤ 1785, so no lane overflows into the next).
    @inlinable @inline(__always)
    static func sum8OfLowSevenBytes(_ word: UInt64) -> UInt8 {
        let low7 = word & 0x00FF_FFFF_FFFF_FFFF
        let lanes = (low7 & 0x00FF_00FF_00FF_00FF) &+ ((low7 >> 8) & 0x00FF_00FF_00FF_00FF)
        return UInt8(truncatingIfNeeded: (lanes &* 0x0001_0001_0001_0001) >> 48)
    }

    /// The length of the run of bytes before the next start byte after the first byte (all of
    /// `bytes` when there is none).
    @usableFromInline
    static func garbageRun(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count > 1, let base = bytes.baseAddress else { return bytes.count }
        guard let hit = memchr(base + 1, Int32(TaiDocFrame.start), bytes.count - 1) else { return bytes.count }
        return UnsafeRawPointer(hit) - base
    }
}
