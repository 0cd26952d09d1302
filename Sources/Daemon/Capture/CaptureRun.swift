public import DeviceProfiles
import FrameParsing
import Foundation
public import Logging
public import PocGateCore
import SerialIO

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

        public init(devnode: String, profile: DeviceProfile, outputPath: String, listenSeconds: Int) {
            self.devnode = devnode
            self.profile = profile
            self.outputPath = outputPath
            self.listenSeconds = listenSeconds
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
        public var readings: [Reading] = []
        public var outcome = "listened"
    }

    /// Captures as `plan` says; chunks are appended to the file as they happen, so an unplug
    /// mid-capture keeps everything up to it.
    public static func run(_ plan: Plan, logger: Logger) throws(Failure) -> Summary {
        guard FileManager.default.createFile(atPath: plan.outputPath, contents: nil,
                                             attributes: [.posixPermissions: 0o600]),
              let file = FileHandle(forWritingAtPath: plan.outputPath) else {
            throw .cannotCreate(path: plan.outputPath, reason: String(cString: strerror(errno)))
        }
        defer { try? file.close() }
        let header = "{\"profile\":\(ReadingJSON.quote(plan.profile.id)),\"profile_version\":\(plan.profile.version),"
            + "\"devnode\":\(ReadingJSON.quote(plan.devnode)),\"baud\":\(plan.profile.line.baud),"
            + "\"started\":\(ReadingJSON.quote(ISO8601DateFormatter().string(from: Date())))}"
        var head = CaptureFile.magic
        let h = Array(header.utf8)
        for i in 0..<4 { head.append(UInt8(truncatingIfNeeded: h.count >> (8 * i))) }
        file.write(Data(head + h))

        let port: SerialPort
        do { port = try SerialPort(path: plan.devnode, line: plan.profile.line) } catch {
            throw .cannotOpen(devnode: plan.devnode, reason: "\(error)")
        }
        defer { port.close() }
        var summary = Summary()
        let recording = RecordingTransport(port) { chunk in
            file.write(Data(CaptureFile.encode(chunk)))
            summary.chunks += 1
            if chunk.direction == .device { summary.deviceBytes += chunk.bytes.count } else { summary.gatewayBytes += chunk.bytes.count }
        }
        let sink = CollectingSink()
        // A capture is not uploaded: the port names a serial-less device well enough here.
        let fallbackSerial = FallbackDeviceSerial.forPort(usbSerial: nil, gatewayID: "capture", devnode: plan.devnode)
        if let (s, _) = SessionRunner.run(plan.profile, transport: recording, sink: sink, fallbackSerial: fallbackSerial,
                                          logger: logger) {
            summary.outcome = s.outcome.description
        }
        if plan.listenSeconds > 0 { listen(recording, seconds: plan.listenSeconds) }
        try? file.synchronize()
        summary.readings = sink.readings
        return summary
    }

    /// Reads whatever the device sends for `seconds`.
    private static func listen(_ transport: any ByteTransport, seconds: Int) {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        while ContinuousClock.now < deadline {
            do { _ = try transport.read(into: buffer, timeoutMillis: 200) } catch { return }
        }
    }
}

/// A sink that keeps readings in memory: a capture stores nothing.
final class CollectingSink: SessionSink {
    var readings: [Reading] = []
    func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {}
    func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
    func rejected(_ why: String, raw: [UInt8]) {}
    var shouldStop: Bool { false }
}
