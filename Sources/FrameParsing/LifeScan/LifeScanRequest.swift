/// Which LifeScan meter generation a message belongs to: the first message byte.
public enum LifeScanDialect: UInt8, Sendable, CaseIterable {
    /// Verio 2015, Select Plus and Verio IQ: prefix 0x03, times since 2000.
    case verio = 0x03
    /// UltraEasy / UltraMini: prefix 0x05, times in Unix seconds.
    case ultraEasy = 0x05

    /// The model name replay writes into readings.
    public var modelName: String {
        switch self {
        case .verio: return "OneTouch Verio"
        case .ultraEasy: return "OneTouch UltraEasy"
        }
    }
}

/// The read-only LifeScan requests pocgate knows, and the allow-list of what may be written.
///
/// Erase (`05 1A`, `03 1A`), clock writes (`05 20 01 …`, `03 20 01 …`) and every message not
/// listed here can never be transmitted.
public enum LifeScanRequest: Sendable, Hashable {
    /// UltraEasy firmware version: `05 0D 02`.
    case readVersion
    /// UltraEasy serial number: `05 0B 02` and nine parameter bytes.
    case readSerial
    /// UltraEasy display unit: `05 09 02 09 00 00 00 00`.
    case readUnit
    /// The meter clock: `05 20 02 00 00 00 00` or `03 20 02`.
    case readClock(LifeScanDialect)
    /// The number of records: `05 1F F5 01` (record 501) or `03 27 00`.
    case readRecordCount(LifeScanDialect)
    /// Record `index`, 0 = newest: `05 1F lo hi` or `03 31 02 lo hi 00` (Verio 2015).
    case readRecord(LifeScanDialect, index: UInt16)
    /// Verio IQ firmware version: `03 0D 01`.
    case readVerioIQVersion
    /// Verio IQ serial number: `03 0B 01 02`.
    case readVerioIQSerial
    /// Verio IQ display unit: `03 09 02 02`.
    case readVerioIQUnit
    /// Verio IQ record `index`, 0 … count−1: `03 21 lo hi`.
    case readVerioIQRecord(index: UInt16)

    /// UltraEasy's "record 501" that answers with the record count.
    static let ultraEasyCountIndex: UInt16 = 501

    /// The dialect of the request.
    public var dialect: LifeScanDialect {
        switch self {
        case .readVersion, .readSerial, .readUnit: return .ultraEasy
        case let .readClock(d), let .readRecordCount(d), let .readRecord(d, _): return d
        case .readVerioIQVersion, .readVerioIQSerial, .readVerioIQUnit, .readVerioIQRecord: return .verio
        }
    }

    /// Whether only a Verio IQ sends this request (clock and count are shared with the Verio 2015).
    public var isVerioIQ: Bool {
        switch self {
        case .readVerioIQVersion, .readVerioIQSerial, .readVerioIQUnit, .readVerioIQRecord: return true
        default: return false
        }
    }

    /// The message bytes.
    public var message: [UInt8] {
        switch self {
        case .readVersion: return [0x05, 0x0D, 0x02]
        case .readSerial: return [0x05, 0x0B, 0x02] + [UInt8](repeating: 0, count: 9)
        case .readUnit: return [0x05, 0x09, 0x02, 0x09, 0x00, 0x00, 0x00, 0x00]
        case .readClock(.ultraEasy): return [0x05, 0x20, 0x02, 0x00, 0x00, 0x00, 0x00]
        case .readClock(.verio): return [0x03, 0x20, 0x02]
        case .readRecordCount(.ultraEasy): return [0x05, 0x1F, 0xF5, 0x01]
        case .readRecordCount(.verio): return [0x03, 0x27, 0x00]
        case let .readRecord(.ultraEasy, i): return [0x05, 0x1F, UInt8(i & 0xFF), UInt8(i >> 8)]
        case let .readRecord(.verio, i): return [0x03, 0x31, 0x02, UInt8(i & 0xFF), UInt8(i >> 8), 0x00]
        case .readVerioIQVersion: return [0x03, 0x0D, 0x01]
        case .readVerioIQSerial: return [0x03, 0x0B, 0x01, 0x02]
        case .readVerioIQUnit: return [0x03, 0x09, 0x02, 0x02]
        case let .readVerioIQRecord(i): return [0x03, 0x21, UInt8(i & 0xFF), UInt8(i >> 8)]
        }
    }

    /// The request a message is, or nil when it is not one of the read-only requests.
    public init?(message m: InlineBytes) {
        let b = m.array
        switch b.count {
        case 3 where b == [0x05, 0x0D, 0x02]: self = .readVersion
        case 12 where b.starts(with: [0x05, 0x0B, 0x02]): self = .readSerial
        case 8 where b == [0x05, 0x09, 0x02, 0x09, 0x00, 0x00, 0x00, 0x00]: self = .readUnit
        case 7 where b == [0x05, 0x20, 0x02, 0x00, 0x00, 0x00, 0x00]: self = .readClock(.ultraEasy)
        case 3 where b == [0x03, 0x20, 0x02]: self = .readClock(.verio)
        case 3 where b == [0x03, 0x27, 0x00]: self = .readRecordCount(.verio)
        case 3 where b == [0x03, 0x0D, 0x01]: self = .readVerioIQVersion
        case 4 where b == [0x03, 0x0B, 0x01, 0x02]: self = .readVerioIQSerial
        case 4 where b == [0x03, 0x09, 0x02, 0x02]: self = .readVerioIQUnit
        case 4 where b[0] == 0x03 && b[1] == 0x21: self = .readVerioIQRecord(index: UInt16(b[2]) | UInt16(b[3]) << 8)
        case 4 where b[0] == 0x05 && b[1] == 0x1F:
            let i = UInt16(b[2]) | UInt16(b[3]) << 8
            self = i == Self.ultraEasyCountIndex ? .readRecordCount(.ultraEasy) : .readRecord(.ultraEasy, index: i)
        case 6 where b[0] == 0x03 && b[1] == 0x31 && b[2] == 0x02 && b[5] == 0x00:
            self = .readRecord(.verio, index: UInt16(b[3]) | UInt16(b[4]) << 8)
        default: return nil
        }
    }

    /// The frame for this request with link-control `link`.
    public func frame(link: LifeScanLink = []) -> LifeScanFrame {
        LifeScanFrame(link: link, message: InlineBytes(message)!)
    }

    /// Whether `bytes` are exactly one well-formed frame the gateway may write: a link-only
    /// frame (acknowledge, disconnect) or one of the read-only requests. Everything else,
    /// erase and clock writes included, is refused.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        let step = bytes.withUnsafeBytes { LifeScanFrameDecoder().decode($0) }
        guard case let .frame(frame, consumed) = step, consumed == bytes.count else { return false }
        return frame.message.isEmpty || LifeScanRequest(message: frame.message) != nil
    }
}
