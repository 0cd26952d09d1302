import Transports

/// The link a session gets for an SPP device: the socket's byte stream; closing it closes the
/// socket and asks BlueZ to disconnect the profile (BlueZ keeps its own copy of the socket).
final class SerialPortConnection: DeviceLink {
    private let link: StreamSocketLink
    private var disconnect: (() -> Void)?

    init(link: StreamSocketLink, disconnect: @escaping () -> Void) {
        self.link = link
        self.disconnect = disconnect
    }

    func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { try link.write(bytes, timeoutMillis: timeoutMillis) }
    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        try link.read(into: buffer, timeoutMillis: timeoutMillis)
    }
    func discardInput() { link.discardInput() }
    func close() {
        link.close()
        disconnect?()
        disconnect = nil
    }
}
