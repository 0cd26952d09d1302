public import PocGateCore

extension PortDescription {
    /// This port with its Bluetooth name from `names` (canonical address → name, the
    /// configuration's `bluetooth.devices`), when it is an RFCOMM tty whose address is listed.
    /// The kernel does not report the remote name, so the daemon and `pocgate devices` both
    /// take it from there before matching profiles.
    public func naming(from names: [String: String]) -> PortDescription {
        guard let address = bluetooth?.address, let name = names[address] else { return self }
        var port = self
        port.bluetooth?.name = name
        return port
    }
}
