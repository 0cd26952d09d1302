#if canImport(Glibc)
import Glibc
#endif

/// A byte stream over a Silicon Labs CP2110 HID-to-UART bridge: at open the UART is enabled,
/// set to the profile's line and its FIFOs purged, by feature reports that must pass the
/// bridge allow-list (`CP2110Reports.mayWriteFeature`); then bytes travel in data reports whose
/// report id is their count (1…63). Codecs above it see a tty-like stream, split anywhere.
public final class CP2110Link: DeviceLink {
    private let hid: any DeviceLink
    private let features: ReadOnlyFeatureReports
    /// Data bytes of the last report not yet handed to the caller (its buffer was shorter).
    private var pending: [UInt8] = []
    private var report: [UInt8]
    private let path: String

    /// Sets the bridge up over `hid` (a hidraw link, its feature reports in `features`).
    /// Throws `configureFailed` for a line the bridge cannot do, and what the link throws
    /// when a feature report fails; `hid` is left open for the caller to close then.
    public init(hid: any DeviceLink, features: any HIDFeatureReports, line: TTYSettings, path: String) throws(LinkError) {
        self.hid = hid
        self.path = path
        self.features = ReadOnlyFeatureReports(features, mayWrite: { CP2110Reports.mayWriteFeature($0) })
        let maximum: Int
        switch hid.delivery {
        case .messages(let length): maximum = max(length, 1 + CP2110Reports.maximumDataBytes)
        case .byteStream: maximum = 1 + CP2110Reports.maximumDataBytes
        }
        report = [UInt8](repeating: 0, count: maximum)
        guard let config = CP2110Reports.configReport(line) else {
            throw .configureFailed(path: path, errno: EINVAL)
        }
        try self.features.setFeature(CP2110Reports.enableUART)
        try self.features.setFeature(config)
        try self.features.setFeature(CP2110Reports.purgeBoth)
    }

    /// Opens `path` as a hidraw node and sets its bridge up at `line`.
    public convenience init(path: String, line: TTYSettings) throws(LinkError) {
        let hid = try HIDRawLink(path: path)
        do {
            try self.init(hid: hid, features: hid, line: line, path: path)
        } catch {
            hid.close()
            throw error
        }
    }

    public var delivery: LinkDelivery { .byteStream }

    /// Sends `bytes` in data reports of at most 63 bytes, in order.
    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        var start = 0
        while start < bytes.count {
            let end = min(start + CP2110Reports.maximumDataBytes, bytes.count)
            try hid.write([UInt8(end - start)] + bytes[start..<end], timeoutMillis: timeoutMillis)
            start = end
        }
    }

    /// Reads the data bytes of the next data report (or what was left of the last one);
    /// reports that are not data reports are skipped. 0 on timeout.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if !pending.isEmpty { return handOver(into: buffer) }
        let deadline = Monotonic.millis() + Int64(timeoutMillis)
        while true {
            let left = Int(max(0, deadline - Monotonic.millis()))
            let n = try readReport(timeoutMillis: left)
            if n == 0 { return 0 }
            let id = report[0]
            if CP2110Reports.dataReportIDs.contains(id) {
                let count = min(Int(id), n - 1)
                if count > 0 {
                    pending = Array(report[1..<(1 + count)])
                    return handOver(into: buffer)
                }
            }
            if left == 0 { return 0 }
        }
    }

    private func readReport(timeoutMillis: Int) throws(LinkError) -> Int {
        var result: Result<Int, LinkError> = .success(0)
        report.withUnsafeMutableBytes { raw in
            do throws(LinkError) {
                result = .success(try hid.read(into: raw, timeoutMillis: timeoutMillis))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    private func handOver(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, pending.count)
        for i in 0..<n { buffer[i] = pending[i] }
        pending.removeFirst(n)
        return n
    }

    public func discardInput() {
        pending.removeAll()
        hid.discardInput()
    }

    public func close() { hid.close() }
}
