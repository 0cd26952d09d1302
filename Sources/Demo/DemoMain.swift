import Synchronization
import Daemon
import Emulators
import DeviceProfiles
import FoundationEssentials
import Logging
import PocGateCore
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate demo`: an emulated meter on a pseudo-terminal (a TD-4277 unless `device` names
/// another `DemoDevice`), the real gateway code path (tty session, decoder, SQLite store,
/// libcurl uplink, FHIR bundle) and a receiver on 127.0.0.1 that prints every Observation it
/// gets. Nothing to configure; a temporary store.
public enum DemoMain {
    /// Runs the demo; returns the exit code. `count` nil = until Ctrl-C.
    public static func run(count: Int?, records: Int, profileDirectories: [String], verbose: Bool,
                           device: DemoDevice = .taidocTD4277) -> Int32 {
        let signals = SignalWaiter()
        LogSetup.bootstrap(level: verbose ? .debug : .info)
        let logger = Logger(label: "pocgate")
        let out = StdoutLines()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-demo-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let target = count ?? records
        let received = Counter()
        let receiver: DemoReceiver
        do {
            receiver = try DemoReceiver { observation in
                let n = received.increment()
                guard count == nil || n <= target else { return }  // later ones of the last batch: counted, not shown
                out.print(DemoReceiver.line(for: observation))
                if n == target && count != nil { kill(getpid(), SIGTERM) }
            }
        } catch {
            logger.critical("demo receiver failed to start", metadata: ["code": "\(LogCode.demoReceiverFailed)", "error": "\(error)"])
            return 1
        }
        receiver.start()
        let meter: DemoMeter
        do {
            meter = try device.emulator(records: records)
        } catch {
            logger.critical("cannot create the emulated meter's pseudo-terminal", metadata: ["code": "\(LogCode.demoMeterFailed)", "error": "\(error)"])
            return 1
        }
        meter.start()
        var config = GatewayConfig(uplinkURL: "http://127.0.0.1:\(receiver.port)/fhir")
        config.storePath = dir + "/demo.db"
        config.profilePaths = profileDirectories
        config.batchMaxWaitMillis = 300
        out.print("pocgate demo: emulated \(meter.model) meter with \(records) records on \(meter.slavePath)")
        out.print("pocgate demo: local FHIR receiver on 127.0.0.1:\(receiver.port); store \(config.storePath)")
        out.print("pocgate demo: \(count.map { "stops after \($0) readings" } ?? "Ctrl-C to stop")")
        let gateway: Gateway
        do {
            gateway = try Gateway(config: config, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["code": "\(LogCode.startFailed)", "error": "\(error)"])
            meter.stop()
            receiver.stop()
            return 1
        }
        gateway.start(fixedPorts: [(PortDescription(devnode: meter.slavePath, syspath: "demo:" + meter.slavePath), profileID: device.profileID)])
        while signals.next() == SIGHUP {}
        gateway.stop()
        meter.stop()
        receiver.stop()
        out.print("pocgate demo: \(received.value) readings delivered to the receiver")
        return count.map { received.value >= $0 ? 0 : 1 } ?? 0
    }
}

/// A thread-safe counter.
package final class Counter: Sendable {
    private let n = Mutex(0)
    package var value: Int { n.withLock { $0 } }
    package func increment() -> Int { n.withLock { $0 += 1; return $0 } }
}

/// Whole lines to stdout from any thread.
package final class StdoutLines: Sendable {
    private let lock = Mutex(())
    package func print(_ line: String) {
        lock.withLock { _ in
            let bytes = Array((line + "\n").utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + written, $0.count - written) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { break }
                written += n
            }
        }
    }
}
