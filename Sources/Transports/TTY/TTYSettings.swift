/// The line settings a tty is opened with: what termios can set, nothing of the device's
/// protocol. A profile's `line` section is turned into this by the session layer.
public struct TTYSettings: Sendable, Equatable {
    /// Parity bit.
    public enum Parity: Sendable, Equatable { case none, even, odd }

    /// Bits per second; one of `supportedBauds` (others open at 19200).
    public var baud: Int
    /// 5…8 data bits.
    public var dataBits: Int
    public var parity: Parity
    /// 1 or 2 stop bits.
    public var stopBits: Int
    /// RTS/CTS hardware flow control.
    public var hardwareFlowControl: Bool

    public init(baud: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1, hardwareFlowControl: Bool = false) {
        self.baud = baud
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.hardwareFlowControl = hardwareFlowControl
    }

    /// The baud rates termios can set.
    public static let supportedBauds = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800]
}
