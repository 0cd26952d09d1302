import Glibc

/// Why an emulated meter could not be set up.
public enum EmulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The serial is not 16 hexadecimal digits, the only form the TD-4277's two 4-byte serial
    /// halves can carry.
    case invalidSerial(String)
    /// A record cannot be stored in the meter's memory format.
    case invalidRecord(index: Int, reason: String)
    /// The meter memory holds more records than the 16-bit index can address.
    case tooManyRecords(Int)
    /// The start clock is not a real date and time in 2000...2127.
    case invalidClock(String)
    /// A system call failed while opening or configuring the pseudo-terminal.
    case system(call: String, errno: Int32)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .invalidSerial(let serial):
            return "emulated meter serial \"\(serial)\" must be exactly 16 hexadecimal digits, e.g. 2204A1B2C3D4E5F6"
        case .invalidRecord(let index, let reason):
            return "emulated record \(index): \(reason)"
        case .tooManyRecords(let count):
            return "emulated meter memory holds \(count) records; the protocol addresses at most 65535"
        case .invalidClock(let text):
            return "emulated meter clock \(text) is not a valid date and time between 2000 and 2127"
        case .system(let call, let code):
            return "\(call) failed: \(SystemErrorText.describe(code)); check that /dev/ptmx and /dev/pts are available (inside a container, mount devpts)"
        }
    }
}

/// Renders an errno value as text.
package enum SystemErrorText {
    package static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
