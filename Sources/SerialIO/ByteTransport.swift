/// The seam under a session: bytes in, bytes out, with deadlines. A tty today; hidraw and BLE
/// later. Nothing above a session knows which one it has.
public protocol ByteTransport: AnyObject {
    /// Writes all of `bytes` or throws.
    func write(_ bytes: [UInt8], timeoutMillis: Int) throws(TransportError)
    /// Reads what is available into `buffer`, waiting up to `timeoutMillis` for the first byte.
    /// Returns 0 on timeout.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(TransportError) -> Int
    /// Drops bytes received but not read yet.
    func discardInput()
    /// Closes the transport; later calls fail.
    func close()
}

/// A transport that lets only frames a policy allows leave the port: the gateway's promise
/// that it never changes a device (clear memory, set clock).
public final class ReadOnlyTransport: ByteTransport {
    private let inner: any ByteTransport
    private let mayTransmit: @Sendable ([UInt8]) -> Bool

    /// - Parameter mayTransmit: the protocol's allow-list; anything it rejects is never written.
    public init(_ inner: any ByteTransport, mayTransmit: @escaping @Sendable ([UInt8]) -> Bool) {
        self.inner = inner
        self.mayTransmit = mayTransmit
    }

    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(TransportError) {
        guard mayTransmit(bytes) else {
            throw .forbiddenWrite(hex: bytes.map { b in
                let s = String(b, radix: 16, uppercase: true)
                return s.count == 1 ? "0" + s : s
            }.joined(separator: " "))
        }
        try inner.write(bytes, timeoutMillis: timeoutMillis)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(TransportError) -> Int {
        try inner.read(into: buffer, timeoutMillis: timeoutMillis)
    }

    public func discardInput() { inner.discardInput() }
    public func close() { inner.close() }
}
