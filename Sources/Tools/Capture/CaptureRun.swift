import Daemon
public import DeviceProfiles
import FrameParsing
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import Logging
public import PocGateCore
import Sessions
package import Transports
import Store

/// `pocgate capture`: runs a profile's session against a real device, or listens when the
/// protocol has no live session, and saves both directions with timestamps (`CaptureFile`).
/// Nothing is stored or uploaded: readings are only counted and printed. The transport's
/// allow-list is the live session's, so a capture can never change the device either.
public enum CaptureRun {
    /// What to capture.
    public struct Plan: Sendable {
        public var devnode: String
        public var profile: DeviceProfile
        public var outputPath: String
        /// How long to listen when the protocol has no live session (or after it ends, 0 = no).
        public var listenSeconds: Int
        /// When the capture ends by itself whatever the device does.
        public var limits: CaptureLimits

        public init(devnode: String, profile: DeviceProfile, outputPath: String, listenSeconds: Int,
                    limits: CaptureLimits = .standard) {
            self.devnode = devnode
            self.profile = profile
            self.outputPath = outputPath
            self.listenSeconds = listenSeconds
            self.limits = limits
        }
    }

    /// Why a capture could not be made.
    public enum Failure: Error, CustomStringConvertible {
        case cannotCreate(path: String, reason: String)
        case cannotOpen(devnode: String, reason: String)

        public var description: String {
            switch self {
            case let .cannotCreate(path, reason): return "cannot create the capture file \(path): \(reason)"
            case let .cannotOpen(devnode, reason): return "cannot open \(devnode): \(reason) (is the device plugged in, and is pocgate.service stopped or not holding it?)"
            }
        }
    }

    /// What was captured.
    public struct Summary: Sendable {
        public var deviceBytes = 0
        public var gatewayBytes = 0
        public var chunks = 0
        /// The first `CaptureLimits.maxReadingsPrinted` readings.
        public var readings: [Reading] = []
        /// Every reading decoded, printed or not.
        public var readingCount = 0
        public var outcome = "listened"
    }

    /// Captures as `plan` says; chunks are appended to the file as they happen, so an unplug
    /// mid-capture keeps everything up to it. Ends by itself at `plan.limits`.
    public static func run(_ plan: Plan, logger: Logger) throws(Failure) -> Summary {
        let fd: Int32
        do {
            fd = try PrivateFile.openForWriting(plan.outputPath)
        } catch {
            throw .cannotCreate(path: plan.outputPath, reason: "\(error)")
        }
        defer { close(fd) }
        let transport = plan.profile.transport
        let framing: CaptureFile.Framing = transport == .hid ? .reports : transport == .cp2110 ? .cp2110Reports : .bytes
        let baud = transport.hasLineSettings ? "\"baud\":\(plan.profile.line.baud)," : ""
        let header = "{\"profile\":\(ReadingJSON.quote(plan.profile.id)),\"profile_version\":\(plan.profile.version),"
            + "\"devnode\":\(ReadingJSON.quote(plan.devnode)),\(baud)\"transport\":\(ReadingJSON.quote(transport.rawValue)),"
            + "\"framing\":\(ReadingJSON.quote(framing.rawValue)),"
            + "\"started\":\(ReadingJSON.quote(ISO8601Instant.text(millis: Int64(Date().timeIntervalSince1970 * 1000))))}"
        var head = CaptureFile.magic
        let h = Array(header.utf8)
        for i in 0..<4 { head.append(UInt8(truncatingIfNeeded: h.count >> (8 * i))) }
        StandardStreams.write(Array(head + h), to: fd)

        var summary = Summary()
        let budget = CaptureBudget(plan.limits)
        let record = { (chunk: CaptureFile.Chunk) in
            StandardStreams.write(CaptureFile.encode(chunk), to: fd)
            summary.chunks += 1
            if chunk.direction == .device { summary.deviceBytes += chunk.bytes.count } else { summary.gatewayBytes += chunk.bytes.count }
        }
        // A CP2110's reports are recorded as they cross the hidraw node (report id = count),
        // below the bridge link; every other link is recorded as the session sees it.
        let port: any DeviceLink
        let recording: any DeviceLink
        do throws(LinkError) {
            if transport == .cp2110 {
                let hid = try HIDRawLink(path: plan.devnode)
                do {
                    port = try CP2110Link(hid: RecordingLink(BudgetTransport(hid, budget: budget), record: record),
                                          features: hid, line: plan.profile.line.tty, path: plan.devnode)
                } catch {
                    hid.close()
                    throw error
                }
                recording = port
            } else {
                port = try PortLink.open(PortDescription(devnode: plan.devnode, syspath: "", transport: transport.opens),
                                         profile: plan.profile)
                recording = RecordingLink(BudgetTransport(port, budget: budget), record: record)
            }
        } catch {
            throw .cannotOpen(devnode: plan.devnode, reason: "\(error)")
        }
        defer { port.close() }
        let sink = CollectingSink(budget: budget)
        // A capture is not uploaded: the port names a serial-less device well enough here.
        let fallbackSerial = FallbackDeviceSerial.forPort(usbSerial: nil, gatewayID: "capture", devnode: plan.devnode)
        if let (s, _) = SessionRunner.run(plan.profile, transport: recording, sink: sink, fallbackSerial: fallbackSerial,
                                          logger: logger) {
            summary.outcome = s.outcome.description
        }
        if plan.listenSeconds > 0, !budget.exhausted { listen(recording, seconds: plan.listenSeconds, budget: budget) }
        _ = fsync(fd)
        if let reached = budget.reached { summary.outcome = reached }
        summary.readings = sink.readings
        summary.readingCount = sink.count
        return summary
    }

    /// Reads whatever the device sends for `seconds`, or until the budget runs out.
    private static func listen(_ transport: any DeviceLink, seconds: Int, budget: CaptureBudget) {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        while ContinuousClock.now < deadline, !budget.exhausted {
            do { _ = try transport.read(into: buffer, timeoutMillis: 200) } catch { return }
        }
    }
}

/// A sink that keeps the first readings in memory (a capture stores nothing) and asks the
/// session to stop once the capture's budget is used up.
package final class CollectingSink: SessionSink {
    private let budget: CaptureBudget
    private(set) var readings: [Reading] = []
    private(set) var count = 0
    package init(budget: CaptureBudget) { self.budget = budget }
    package func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {}
    package func received(_ reading: Reading) throws -> Bool {
        count += 1
        if readings.count < budget.limits.maxReadingsPrinted { readings.append(reading) }
        return true
    }
    package func rejected(_ why: String, raw: [UInt8]) {}
    package var shouldStop: Bool { budget.exhausted }
}

/// Counts the bytes each way against the capture's budget; once it is used up, reads return
/// nothing (as a quiet line would) and writes are dropped, so the session stops at its next
/// check of `shouldStop` and nothing more is recorded.
package final class BudgetTransport: DeviceLink {
    private let inner: any DeviceLink
    private let budget: CaptureBudget

    package init(_ inner: any DeviceLink, budget: CaptureBudget) {
        self.inner = inner
        self.budget = budget
    }

    package func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        guard !budget.exhausted else { return }
        try inner.write(bytes, timeoutMillis: timeoutMillis)
        budget.add(bytes.count)
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        guard !budget.exhausted else {
            // As a quiet line would: wait, then nothing.
            ThreadSleep.sleep(seconds: Double(min(max(timeoutMillis, 0), 200)) / 1000)
            return 0
        }
        let room = budget.limits.maxBytes - budget.bytes
        let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, max(1, room))])
        let n = try inner.read(into: window, timeoutMillis: timeoutMillis)
        budget.add(n)
        return n
    }

    package func discardInput() { inner.discardInput() }
    package func close() { inner.close() }
}
