/// Why a GATT characteristic value could not be decoded. Each message names the characteristic
/// and the field, for the log line a technician reads.
public enum GATTDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value ends before a field its flags (or its fixed layout) promise.
    case truncated(characteristic: String, field: String, length: Int)
    /// A field holds a value the specification does not allow.
    case invalid(characteristic: String, why: String)

    public var description: String {
        switch self {
        case let .truncated(c, field, length):
            return "\(c): value of \(length) bytes ends inside \(field) (the flags promise a field the device did not send)"
        case let .invalid(c, why):
            return "\(c): invalid value: \(why)"
        }
    }
}
