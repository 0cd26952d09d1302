public import Transports
public import FrameParsing

/// A transport that hands every chunk read or written to `record`, with the time since it was
/// made: what `pocgate capture` saves. Writes are recorded only once they have been written.
public final class RecordingLink: DeviceLink {
    private let inner: any DeviceLink
    private let record: (CaptureFile.Chunk) -> Void
    private let started = ContinuousClock.now

    public init(_ inner: any DeviceLink, record: @escaping (CaptureFile.Chunk) -> Void) {
        self.inner = inner
        self.record = record
    }

    private var micros: UInt64 {
        let c = (ContinuousClock.now - started).components
        return UInt64(max(0, c.seconds)) * 1_000_000 + UInt64(max(0, c.attoseconds) / 1_000_000_000_000)
    }

    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        try inner.write(bytes, timeoutMillis: timeoutMillis)
        record(CaptureFile.Chunk(direction: .gateway, micros: micros, bytes: bytes))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        let n = try inner.read(into: buffer, timeoutMillis: timeoutMillis)
        if n > 0 { record(CaptureFile.Chunk(direction: .device, micros: micros, bytes: Array(buffer[0..<n]))) }
        return n
    }

    public func discardInput() { inner.discardInput() }
    public func close() { inner.close() }
}
