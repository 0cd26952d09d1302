/// The seam under a session: bytes or whole messages in and out, with deadlines, and a typed
/// reason (`LinkError`) when the link ends. A tty is a byte stream; a HID report pipe or a BLE
/// characteristic delivers whole messages, one per `read`. Sessions feed what they read into a
/// frame decoder either way, so none of them knows which link it has.
public protocol DeviceLink: AnyObject {
    /// How reads arrive: a byte stream split anywhere, or one whole message per read.
    var delivery: LinkDelivery { get }
    /// Writes all of `bytes` or throws.
    func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError)
    /// Reads what is available into `buffer`, waiting up to `timeoutMillis` for the first byte.
    /// Returns 0 on timeout.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int
    /// Drops bytes received but not read yet.
    func discardInput()
    /// Closes the transport; later calls fail.
    func close()
}

/// A transport that lets only frames a policy allows leave the port: the gateway's promise
/// that it never changes a device (clear memory, set clock).
public final class ReadOnlyLink: DeviceLink {
    private let inner: any DeviceLink
    private let mayTransmit: @Sendable ([UInt8]) -> Bool

    /// - Parameter mayTransmit: the protocol's allow-list; anything it rejects is never written.
    public init(_ inner: any DeviceLink, mayTransmit: @escaping @Sendable ([UInt8]) -> Bool) {
        self.inner = inner
        self.mayTransmit = mayTransmit
    }

    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        guard mayTransmit(bytes) else {
            throw .forbiddenWrite(hex: bytes.map { b in
                let s = String(b, radix: 16, uppercase: true)
                return s.count == 1 ? "0" + s : s
            }.joined(separator: " "))
        }
        try inner.write(bytes, timeoutMillis: timeoutMillis)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        try inner.read(into: buffer, timeoutMillis: timeoutMillis)
    }

    /// The inner link's HID feature reports (a hidraw node has them), behind the same
    /// allow-list as output reports: a session reaches features only through here.
    public var features: (any HIDFeatureReports)? {
        (inner as? any HIDFeatureReports).map { ReadOnlyFeatureReports($0, mayWrite: mayTransmit) }
    }

    public var delivery: LinkDelivery { inner.delivery }
    public func discardInput() { inner.discardInput() }
    public func close() { inner.close() }
}

/// How a link hands over what the device sent.
public enum LinkDelivery: Sendable, Equatable {
    /// A byte stream: a read returns whatever bytes have arrived, split anywhere (a tty).
    case byteStream
    /// Whole messages: each read returns exactly one message of at most `maximumLength` bytes
    /// (a HID input report, a BLE notification). A read buffer at least that long never
    /// truncates one.
    case messages(maximumLength: Int)
}

extension DeviceLink {
    public var delivery: LinkDelivery { .byteStream }
}
