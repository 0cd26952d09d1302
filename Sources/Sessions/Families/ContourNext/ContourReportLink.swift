public import Transports
import FrameParsing

/// The de-framing layer under the ASTM session on a Contour Next: a byte-stream link made of
/// the meter's HID reports. A read takes one input report and returns its E1381 bytes; a write
/// of one control byte (ACK, NAK) goes out as one output report. The ASTM session above it is
/// the tty one, unchanged: it never knows the bytes came in reports.
public final class ContourReportLink: DeviceLink {
    private let reports: any DeviceLink
    private var report: [UInt8]
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Reports read so far, and those whose length byte claimed more than they hold.
    public private(set) var reportsRead = 0
    public private(set) var malformedReports = 0

    /// - Parameters:
    ///   - reports: the hidraw link (wrapped by the session in the Contour report allow-list).
    ///   - preloaded: stream bytes already read from reports (the ENQ of the start exchange).
    public init(reports: any DeviceLink, preloaded: [UInt8] = []) {
        self.reports = reports
        var size = ContourReport.size
        if case let .messages(maximumLength) = reports.delivery { size = max(size, maximumLength) }
        report = [UInt8](repeating: 0, count: size)
        pending = preloaded
    }

    public var delivery: LinkDelivery { .byteStream }

    /// Sends each byte of `bytes` as one output report (the ASTM session sends one ACK or NAK).
    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        for byte in bytes {
            guard let control = ASTMControl(rawValue: byte) else {
                throw .forbiddenWrite(hex: Hex.byte(byte))
            }
            try reports.write(ContourReport.outputReport(control), timeoutMillis: timeoutMillis)
        }
    }

    /// Returns stream bytes left from the last report, or reads reports until one carries
    /// bytes (a report with none is skipped) and returns them; 0 once `timeoutMillis` passes.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        let deadline = Monotonic.millis() + Int64(max(timeoutMillis, 0))
        while pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            let left = Int(max(deadline - Monotonic.millis(), 0))
            let n = try readReport(timeoutMillis: left)
            guard n > 0 else { return 0 }
            reportsRead += 1
            let payload = ContourReport.payload(of: report[0..<n])
            if payload.malformed { malformedReports += 1 }
            pending += payload.bytes
            if pending.isEmpty && Monotonic.millis() >= deadline { return 0 }
        }
        let n = min(buffer.count, pending.count - pendingStart)
        for i in 0..<n { buffer[i] = pending[pendingStart + i] }
        pendingStart += n
        return n
    }

    private func readReport(timeoutMillis: Int) throws(LinkError) -> Int {
        let reports = self.reports
        let result: Result<Int, LinkError> = report.withUnsafeMutableBytes { raw in
            do throws(LinkError) { return .success(try reports.read(into: raw, timeoutMillis: timeoutMillis)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Drops the bytes of reports read but not yet handed on, and what the link holds unread.
    public func discardInput() {
        pending.removeAll(keepingCapacity: true)
        pendingStart = 0
        reports.discardInput()
    }

    public func close() { reports.close() }
}
