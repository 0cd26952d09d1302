public import DeviceProfiles
public import Transports

extension LineSettings {
    /// The termios settings for a tty opened at this profile's line.
    public var tty: TTYSettings {
        let parity: TTYSettings.Parity
        switch self.parity {
        case .none: parity = .none
        case .even: parity = .even
        case .odd: parity = .odd
        }
        return TTYSettings(baud: baud, dataBits: dataBits, parity: parity, stopBits: stopBits,
                           hardwareFlowControl: flowControl == .rtscts)
    }
}
