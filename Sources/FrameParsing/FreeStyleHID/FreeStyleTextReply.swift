/// A text reply being put together from `0x60` messages: `message "CKSM:" 8HEXDIG CRLF "CMD "
/// ("OK" / "Fail!") CRLF`, where the checksum is the sum of the message's bytes. Bounded: past
/// `maximumLength` bytes the reply is refused; each appended payload costs its own length.
public struct FreeStyleTextReply: Sendable {
    /// The longest reply accepted (a Libre's full `$arresult?` is far below it).
    public static let maximumLength = 4 * 1024 * 1024

    /// What the reply turned out to be.
    public enum Outcome: Sendable, Equatable {
        /// `CMD OK` with a matching checksum: the message.
        case ok([UInt8])
        /// `CMD Fail!`: the meter refused the command.
        case failed
        case problem(FreeStyleHIDProblem)
    }

    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Appends one message payload; the outcome once the reply's `CMD` line arrived, else nil.
    public mutating func append(_ payload: [UInt8]) -> Outcome? {
        guard bytes.count + payload.count <= Self.maximumLength else {
            bytes.removeAll()
            return .problem(.replyTooLong(limit: Self.maximumLength))
        }
        bytes += payload
        if bytes.hasSuffix(Self.ok) { return check(trailer: Self.ok.count, failed: false) }
        if bytes.hasSuffix(Self.fail) { return check(trailer: Self.fail.count, failed: true) }
        return nil
    }

    private static let ok = Array("\r\nCMD OK\r\n".utf8)
    private static let fail = Array("\r\nCMD Fail!\r\n".utf8)
    private static let cksm = Array("CKSM:".utf8)

    private func check(trailer: Int, failed: Bool) -> Outcome {
        // message "CKSM:" 8HEXDIG, then the trailer.
        let end = bytes.count - trailer
        let hexStart = end - 8
        let tagStart = hexStart - Self.cksm.count
        guard tagStart >= 0, Array(bytes[tagStart..<hexStart]) == Self.cksm,
              let carried = Hex.value(of: bytes[hexStart..<end]) else {
            return .problem(.malformedReply)
        }
        if failed { return .failed }
        let message = Array(bytes[0..<tagStart])
        let sum = message.reduce(UInt64(0)) { $0 + UInt64($1) }
        guard sum == carried else { return .problem(.badChecksum(expected: sum, carried: carried)) }
        return .ok(message)
    }
}

extension Array where Element == UInt8 {
    fileprivate func hasSuffix(_ suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}

extension Hex {
    /// The value of 1…16 upper- or lower-case hex digits; nil for anything else.
    static func value(of digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var v: UInt64 = 0
        for d in digits {
            let n: UInt8
            switch d {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): n = d - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): n = d - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): n = d - UInt8(ascii: "a") + 10
            default: return nil
            }
            v = v << 4 | UInt64(n)
        }
        return v
    }
}
