/// Finds E1381 (CLSI LIS01) frames and control bytes in a byte stream.
///
/// - ENQ, ACK, NAK and EOT each decode to a `.control` event of one byte.
/// - `STX FN text ETB|ETX C1 C2 CR LF` decodes to a `.frame` when FN is `0`…`7`, the text is at
///   most 240 bytes without a restricted control character, C1 C2 are two hex digits equal to
///   the sum of FN…ETB/ETX mod 256, and CR LF follow.
/// - A frame whose checksum does not match is skipped whole as `.badChecksum` (a live session
///   answers it with NAK); a frame with a broken field is skipped by its STX as `.malformed`.
/// - Any other byte is garbage, skipped up to the next STX or control byte.
public struct ASTMFrameDecoder: FrameDecoder, Sendable {
    /// STX, FN, up to 240 text bytes, ETB/ETX, two checksum digits, CR, LF.
    public static let maximumLength = 2 + ASTMFrameText.capacity + 5

    public init() {}

    public var maximumFrameLength: Int { Self.maximumLength }

    /// Bytes below 0x20 that may not appear in frame text: SOH, STX, EOT, ENQ, ACK, LF, DLE,
    /// DC1…DC4, NAK, SYN (ETX and ETB end the text instead).
    @usableFromInline static let restricted: UInt32 = 1 << 0x01 | 1 << 0x02 | 1 << 0x04 | 1 << 0x05 | 1 << 0x06 | 1 << 0x0A
        | 1 << 0x10 | 1 << 0x11 | 1 << 0x12 | 1 << 0x13 | 1 << 0x14 | 1 << 0x15 | 1 << 0x16
    /// Bytes that can begin something this decoder reports: STX, EOT, ENQ, ACK, NAK.
    @usableFromInline static let starts: UInt32 = 1 << 0x02 | 1 << 0x04 | 1 << 0x05 | 1 << 0x06 | 1 << 0x15

    @inlinable @inline(__always)
    static func canStart(_ c: UInt8) -> Bool { c < 0x20 && (starts >> UInt32(c)) & 1 != 0 }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<ASTMEvent> {
        guard let first = b.first else { return .needMore }
        switch first {
        case ASTMByte.stx:
            return decodeFrame(b)
        case ASTMControl.eot.rawValue: return .frame(.control(.eot), consumed: 1)
        case ASTMControl.enq.rawValue: return .frame(.control(.enq), consumed: 1)
        case ASTMControl.ack.rawValue: return .frame(.control(.ack), consumed: 1)
        case ASTMControl.nak.rawValue: return .frame(.control(.nak), consumed: 1)
        default:
            var n = 1
            while n < b.count && !Self.canStart(b[n]) { n += 1 }
            return .skip(count: n, because: .garbage)
        }
    }

    /// `b` starts with STX.
    @inlinable @inline(__always)
    func decodeFrame(_ b: UnsafeRawBufferPointer) -> DecodeStep<ASTMEvent> {
        guard b.count >= 2 else { return .needMore }
        let fn = b[1]
        guard fn >= UInt8(ascii: "0") && fn <= UInt8(ascii: "7") else {
            return .skip(count: 1, because: .malformed("frame number is not 0-7"))
        }
        var sum = fn
        var i = 2
        // The terminator may sit at most at index 2 + 240.
        let limit = min(b.count, 3 + ASTMFrameText.capacity)
        // Eight bytes at a time while none is below 0x20 (no CR, terminator or control byte):
        // their sum goes into four 16-bit lanes (at most 30 words × 510 per lane, no overflow).
        var lanes: UInt64 = 0
        let lowBytes: UInt64 = 0x00FF_00FF_00FF_00FF
        while i < limit {
            while i + 8 <= limit {
                let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080 != 0 { break }
                lanes &+= (w & lowBytes) &+ ((w >> 8) & lowBytes)
                i += 8
            }
            guard i < limit else { break }
            let c = b[i]
            if c >= 0x20 || c == ASTMByte.cr {
                sum &+= c
                i += 1
                continue
            }
            if c == ASTMByte.etx || c == ASTMByte.etb { break }
            if (Self.restricted >> UInt32(c)) & 1 != 0 {
                return .skip(count: 1, because: .malformed("control character inside frame text"))
            }
            sum &+= c
            i += 1
        }
        let folded = (lanes & 0xFFFF) &+ (lanes >> 16 & 0xFFFF) &+ (lanes >> 32 & 0xFFFF) &+ (lanes >> 48)
        sum &+= UInt8(truncatingIfNeeded: folded)
        if i == limit {
            if limit == b.count && i < 3 + ASTMFrameText.capacity { return .needMore }
            return .skip(count: 1, because: .malformed("frame text longer than 240 bytes"))
        }
        let t = i
        let terminator = b[t]
        sum &+= terminator
        guard b.count >= t + 5 else { return .needMore }
        guard let carried = ASCIIHex.parse(b, at: t + 1, count: 2) else {
            return .skip(count: 1, because: .malformed("checksum is not two hex digits"))
        }
        guard b[t + 3] == ASTMByte.cr && b[t + 4] == ASTMByte.lf else {
            return .skip(count: 1, because: .malformed("frame does not end with CR LF"))
        }
        guard UInt8(carried) == sum else {
            return .skip(count: t + 5, because: .badChecksum(expected: UInt32(sum), actual: UInt32(carried)))
        }
        let text = ASTMFrameText(UnsafeRawBufferPointer(rebasing: b[2..<t]))!
        let frame = ASTMDataFrame(number: fn &- UInt8(ascii: "0"), isFinal: terminator == ASTMByte.etx,
                                  checksum: UInt8(carried), text: text)
        return .frame(.frame(frame), consumed: t + 5)
    }

    /// The run of events at the start of `bytes`, each handed to `body`: `decode` in a loop
    /// that stops at the first answer other than a frame.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (ASTMEvent) -> Void) -> (consumed: Int, frames: Int) {
        var offset = 0
        var frames = 0
        while offset < bytes.count, case let .frame(frame, consumed) = decode(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            body(frame)
            offset += consumed
            frames += 1
        }
        return (offset, frames)
    }
}
