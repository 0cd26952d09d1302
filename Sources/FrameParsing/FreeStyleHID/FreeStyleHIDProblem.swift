/// Why a FreeStyle HID reply or record did not become readings.
public enum FreeStyleHIDProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A text reply grew past `limit` bytes without its `CMD` trailer.
    case replyTooLong(limit: Int)
    /// A reply ended `CMD OK`/`CMD Fail!` without a `CKSM:` and eight hex digits before it.
    case malformedReply
    /// The sum of the bytes received differs from the carried checksum.
    case badChecksum(expected: UInt64, carried: UInt64)
    /// A record list's `count` differs from the record lines received.
    case countMismatch(trailer: Int, received: Int)
    /// A record list without its `count,checksum` line.
    case malformedRecords
    /// A record pocgate does not store, with the reason (ketone, sensor glucose, HI, error…).
    case notStored(reason: String, record: String)

    public var description: String {
        switch self {
        case let .replyTooLong(l): return "text reply longer than \(l) bytes; dropped"
        case .malformedReply: return "text reply without a CKSM:/CMD trailer; dropped"
        case let .badChecksum(e, c):
            return "reply checksum \(String(c, radix: 16, uppercase: true)) does not match the bytes received (\(String(e, radix: 16, uppercase: true))); the reply is dropped"
        case let .countMismatch(t, r): return "record list says \(t) records, \(r) received; the list is dropped"
        case .malformedRecords: return "record list without its count/checksum line; dropped"
        case let .notStored(reason, record): return "\(reason): \(record)"
        }
    }
}
