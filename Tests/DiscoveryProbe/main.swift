// discovery-probe: runs the real DeviceMonitor and prints one JSON line per event, so
// tests can drive it under umockdev (the test process itself is not preloaded).
//
//   DiscoveryProbe enumerate            one {"event":"port",...} line per port, then {"event":"done"}
//   DiscoveryProbe monitor [--events N] {"event":"added"|"removed",...} lines, {"event":"ready"}
//                                       once start() returned; ends after N events or SIGTERM
//                                       with {"event":"stopped"} once stop() returned
// Logs (debug and up) go to stderr.

import Discovery
import Dispatch
import Foundation
import Logging
import PocGateCore
import Synchronization

struct ProbeLine: Encodable {
    var event: String
    var port: PortDescription?
}

/// Writes whole lines with one write(2) each, from any thread.
final class LineWriter: Sendable {
    private let lock = Mutex(())
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func emit(_ event: String, _ port: PortDescription? = nil) {
        lock.withLock { _ in
            guard var data = try? encoder.encode(ProbeLine(event: event, port: port)) else { return }
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
        }
    }
}

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .debug
    return handler
}
let logger = Logger(label: "discovery-probe")
let writer = LineWriter()
let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "monitor"
let eventLimit = arguments.firstIndex(of: "--events").flatMap { flag in
    flag + 1 < arguments.count ? Int(arguments[flag + 1]) : nil
} ?? Int.max

do throws(DiscoveryError) {
    let monitor = try DeviceMonitor(logger: logger)
    switch mode {
    case "enumerate":
        for port in try monitor.enumerate() { writer.emit("port", port) }
        writer.emit("done")
    case "monitor":
        let finished = DispatchSemaphore(value: 0)
        signal(SIGTERM, SIG_IGN)
        let termination = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        termination.setEventHandler { @Sendable in finished.signal() }
        termination.resume()
        let count = Mutex(0)
        let limit = eventLimit
        try monitor.start { event in
            switch event {
            case .added(let port): writer.emit("added", port)
            case .removed(let port): writer.emit("removed", port)
            }
            let total = count.withLock { value in
                value += 1
                return value
            }
            if total == limit { finished.signal() }
        }
        writer.emit("ready")
        finished.wait()
        monitor.stop()
        writer.emit("stopped")
    default:
        FileHandle.standardError.write(Data("usage: DiscoveryProbe enumerate | monitor [--events N]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("discovery-probe: \(error)\n".utf8))
    exit(1)
}
