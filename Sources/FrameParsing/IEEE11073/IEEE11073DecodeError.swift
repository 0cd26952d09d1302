/// Why an APDU, or a part of it, could not be decoded. Each message says what was wrong with
/// what the device sent, for the log line a technician reads.
public enum IEEE11073DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field ran past the end of its enclosing structure.
    case truncated(String)
    /// A field holds a value the protocol does not allow here.
    case invalid(String)
    /// A well-formed structure pocgate does not decode (an event, a value type, a unit).
    case unsupported(String)

    public var description: String {
        switch self {
        case let .truncated(what): return "APDU ends inside \(what) (a length field claims more bytes than were sent)"
        case let .invalid(why): return "invalid APDU content: \(why)"
        case let .unsupported(what): return "not decoded by pocgate: \(what)"
        }
    }
}
