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

    /// What the scan found, without the frame's text: small enough to return in registers, so
    /// the frame value (with its 240-byte inline text) is built exactly once.
    @usableFromInline
    enum Scan {
        /// A checked frame whose text is `b[2 ..< textEnd]`.
        case frame(textEnd: Int, checksum: UInt8)
        case control(ASTMControl)
        case needMore
        case skip(Int, DecodeIssue)
    }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<ASTMEvent> {
        switch scan(b) {
        case let .frame(t, checksum): return .frame(.frame(Self.frame(b, textEnd: t, checksum: checksum)), consumed: t + 5)
        case let .control(c): return .frame(.control(c), consumed: 1)
        case .needMore: return .needMore
        case let .skip(n, issue): return .skip(count: n, because: issue)
        }
    }

    /// The frame whose text is `b[2 ..< t]`.
    @inlinable @inline(__always)
    static func frame(_ b: UnsafeRawBufferPointer, textEnd t: Int, checksum: UInt8) -> ASTMDataFrame {
        ASTMDataFrame(number: b[1] &- UInt8(ascii: "0"), isFinal: b[t] == ASTMByte.etx, checksum: checksum,
                      text: ASTMFrameText(checked: UnsafeRawBufferPointer(rebasing: b[2..<t])))
    }

    @inlinable @inline(__always)
    func scan(_ b: UnsafeRawBufferPointer) -> Scan {
        guard let first = b.first else { return .needMore }
        switch first {
        case ASTMByte.stx:
            return scanFrame(b)
        case ASTMControl.eot.rawValue: return .control(.eot)
        case ASTMControl.enq.rawValue: return .control(.enq)
        case ASTMControl.ack.rawValue: return .control(.ack)
        case ASTMControl.nak.rawValue: return .control(.nak)
        default:
            var n = 1
            while n < b.count && !Self.canStart(b[n]) { n += 1 }
            return .skip(n, .garbage)
        }
    }

    /// `b` starts with STX.
    @inlinable @inline(__always)
    func scanFrame(_ b: UnsafeRawBufferPointer) -> Scan {
        guard b.count >= 2 else { return .needMore }
        let fn = b[1]
        guard fn >= UInt8(ascii: "0") && fn <= UInt8(ascii: "7") else {
            return .skip(1, .malformed("frame number is not 0-7"))
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
                return .skip(1, .malformed("control character inside frame text"))
            }
            sum &+= c
            i += 1
        }
        let folded = (lanes & 0xFFFF) &+ (lanes >> 16 & 0xFFFF) &+ (lanes >> 32 & 0xFFFF) &+ (lanes >> 48)
        sum &+= UInt8(truncatingIfNeeded: folded)
        if i == limit {
            if limit == b.count && i < 3 + ASTMFrameText.capacity { return .needMore }
            return .skip(1, .malformed("frame text longer than 240 bytes"))
        }
        let t = i
        sum &+= b[t]
        guard b.count >= t + 5 else { return .needMore }
        guard let carried = ASCIIHex.parse(b, at: t + 1, count: 2) else {
            return .skip(1, .malformed("checksum is not two hex digits"))
        }
        guard b[t + 3] == ASTMByte.cr && b[t + 4] == ASTMByte.lf else {
            return .skip(1, .malformed("frame does not end with CR LF"))
        }
        guard UInt8(carried) == sum else {
            return .skip(t + 5, .badChecksum(expected: UInt32(sum), actual: UInt32(carried)))
        }
        return .frame(textEnd: t, checksum: sum)
    }

    /// The run of events at the start of `bytes`, each handed to `body`: the scan in a loop that
    /// stops at the first answer other than an event, building each frame once, in place.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (ASTMEvent) -> Void) -> (consumed: Int, frames: Int) {
        var offset = 0
        var frames = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch scan(rest) {
            case let .frame(t, checksum):
                body(.frame(Self.frame(rest, textEnd: t, checksum: checksum)))
                offset += t + 5
            case let .control(c):
                body(.control(c))
                offset += 1
            case .needMore, .skip:
                return (offset, frames)
            }
            frames += 1
        }
        return (offset, frames)
    }
}
