/// A `ChecksumSpec` compiled once: the algorithm with its table built, ready to run over a frame.
public struct CompiledChecksum: Sendable {
    @usableFromInline enum Algorithm: Sendable {
        case sum8, xor8, sum16, asciiHexSum8
        case crc8(CRC8)
        case crc16(CRC16)
    }

    @usableFromInline let algorithm: Algorithm
    @usableFromInline let from: Int
    @usableFromInline let to: Int
    @usableFromInline let position: Int
    @usableFromInline let size: Int
    @usableFromInline let littleEndian: Bool

    public init(_ spec: ChecksumSpec) {
        switch spec.family {
        case .sum8: algorithm = .sum8
        case .xor8: algorithm = .xor8
        case .sum16: algorithm = .sum16
        case .asciiHexSum8: algorithm = .asciiHexSum8
        case .crc8Maxim: algorithm = .crc8(.maxim)
        case .crc8SMBus: algorithm = .crc8(.smbus)
        case .crc16CCITTFalse: algorithm = .crc16(.ccittFalse)
        case .crc16XModem: algorithm = .crc16(.xmodem)
        case .crc16Kermit: algorithm = .crc16(.kermit)
        case .crc16Modbus: algorithm = .crc16(.modbus)
        case .crc16ARC: algorithm = .crc16(.arc)
        }
        from = spec.from
        to = spec.to
        position = spec.position
        size = spec.family.carriedSize
        littleEndian = spec.order == .little
    }

    /// The check computed over `frame`'s covered bytes, and the value the frame carries;
    /// nil when the range does not fit in the frame (or the carried ASCII digits are not hex).
    @inlinable
    public func evaluate(_ frame: UnsafeRawBufferPointer) -> (expected: UInt32, carried: UInt32)? {
        let n = frame.count
        let lo = from < 0 ? n + from : from
        let hi = to < 0 ? n + to : to
        let at = position < 0 ? n + position : position
        guard lo >= 0, hi < n, lo <= hi + 1, at >= 0, at + size <= n else { return nil }
        let covered = UnsafeRawBufferPointer(rebasing: frame[lo..<(hi + 1)])
        let expected: UInt32
        switch algorithm {
        case .sum8, .asciiHexSum8: expected = UInt32(Checksum.sum8(covered))
        case .xor8: expected = UInt32(Checksum.xor8(covered))
        case .sum16: expected = UInt32(Checksum.sum16(covered))
        case let .crc8(c): expected = UInt32(c.checksum(covered))
        case let .crc16(c): expected = UInt32(c.checksum(covered))
        }
        let carried: UInt32
        switch algorithm {
        case .asciiHexSum8:
            guard let v = ASCIIHex.parse(frame, at: at, count: 2) else { return nil }
            carried = UInt32(v)
        default:
            if size == 1 {
                carried = UInt32(frame[at])
            } else {
                let a = UInt32(frame[at]), b = UInt32(frame[at + 1])
                carried = littleEndian ? a | b << 8 : a << 8 | b
            }
        }
        return (expected, carried)
    }

    /// Writes the check into `frame` (for frames the gateway sends).
    public func fill(_ frame: inout [UInt8]) {
        let carriedAt = position < 0 ? frame.count + position : position
        guard let (expected, _) = frame.withUnsafeBytes({ evaluateIgnoringCarried($0) }) else { return }
        switch algorithm {
        case .asciiHexSum8:
            let digits = ASCIIHex.encode2(UInt8(truncatingIfNeeded: expected))
            frame[carriedAt] = digits[0]
            frame[carriedAt + 1] = digits[1]
        default:
            if size == 1 {
                frame[carriedAt] = UInt8(truncatingIfNeeded: expected)
            } else {
                let hi = UInt8(truncatingIfNeeded: expected >> 8), lo = UInt8(truncatingIfNeeded: expected)
                frame[carriedAt] = littleEndian ? lo : hi
                frame[carriedAt + 1] = littleEndian ? hi : lo
            }
        }
    }

    private func evaluateIgnoringCarried(_ frame: UnsafeRawBufferPointer) -> (UInt32, UInt32)? {
        switch algorithm {
        case .asciiHexSum8:
            // The carried digits are not written yet; compute over the range alone.
            let n = frame.count
            let lo = from < 0 ? n + from : from
            let hi = to < 0 ? n + to : to
            guard lo >= 0, hi < n, lo <= hi + 1 else { return nil }
            return (UInt32(Checksum.sum8(UnsafeRawBufferPointer(rebasing: frame[lo..<(hi + 1)]))), 0)
        default:
            return evaluate(frame)
        }
    }
}
