import DeviceProfiles
import Foundation
import Logging
import PocGateCore
import SerialIO
import Store
import Uplink

/// Owns one port for as long as it is present: opens it, runs the profile's session, records
/// the session, and talks to the port again after the profile's poll interval (a cable can
/// stay plugged while meters come and go).
final class PortWorker: @unchecked Sendable {
    let port: PortDescription
    let profile: DeviceProfile
    private let store: Store
    private let uplink: Uplink
    private let gatewayID: String
    private let logger: Logger
    private let condition = NSCondition()
    private var finished = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    init(port: PortDescription, profile: DeviceProfile, store: Store, uplink: Uplink, gatewayID: String, logger: Logger) {
        self.port = port
        self.profile = profile
        self.store = store
        self.uplink = uplink
        self.gatewayID = gatewayID
        var logger = logger
        logger[metadataKey: "device"] = "\(port.devnode)"
        logger[metadataKey: "profile"] = "\(profile.id)"
        self.logger = logger
    }

    func start() {
        let t = Thread { [self] in
            loop()
            done.signal()
        }
        t.name = "port \(port.devnode)"
        thread = t
        t.start()
    }

    /// Asks the worker to finish (port removed or daemon stopping) and waits for it.
    func stop() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
        done.wait()
    }

    private var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished
    }

    private func loop() {
        while !isFinished {
            runOneSession()
            // Wait for the poll interval, or until told to finish.
            condition.lock()
            let until = Date().addingTimeInterval(TimeInterval(profile.session.pollIntervalSeconds))
            while !finished && condition.wait(until: until) {}
            condition.unlock()
        }
    }

    private func runOneSession() {
        let transport: SerialPort
        do {
            transport = try SerialPort(path: port.devnode, line: profile.line)
        } catch {
            logger.error("cannot open port", metadata: ["error": "\(error)"])
            return
        }
        defer { transport.close() }
        let sessionID: Int64
        do {
            sessionID = try store.beginSession(devnode: port.devnode, profileID: profile.id, startedAtMillis: WallClock.millis())
        } catch {
            logger.error("cannot record session in the store; not reading the device", metadata: ["error": "\(error)"])
            return
        }
        var sessionLogger = logger
        sessionLogger[metadataKey: "session"] = "\(sessionID)"
        let provenance = ReadingProvenance(gatewayID: gatewayID, profileVersion: profile.version,
                                           profileHash: profile.contentHash)
        let sink = StoreSink(store: store, sessionID: sessionID, uplink: uplink, provenance: provenance,
                             logger: sessionLogger, stopRequested: { [weak self] in self?.isFinished ?? true })
        guard let (summary, skipped) = SessionRunner.run(profile, transport: transport, sink: sink, logger: sessionLogger) else {
            sessionLogger.error("protocol has no live session in this version; the device is not read",
                                metadata: ["protocol": "\(profile.protocol.rawValue)"])
            try? store.endSession(sessionID, outcome: "unsupported-protocol", recordsRead: 0, recordsNew: 0, endedAtMillis: WallClock.millis())
            finishAfterThisSession()
            return
        }
        do {
            try store.endSession(sessionID, outcome: summary.outcome.description, recordsRead: summary.recordsRead,
                                 recordsNew: summary.recordsNew, endedAtMillis: WallClock.millis())
        } catch {
            sessionLogger.error("cannot record the end of the session", metadata: ["error": "\(error)"])
        }
        // The session adds nothing more: its last readings need not wait for a full batch.
        if summary.recordsNew > 0 { uplink.flush() }
        report(summary, skipped: skipped, logger: sessionLogger)
    }

    /// No point polling a port whose protocol cannot be spoken.
    private func finishAfterThisSession() {
        condition.lock()
        finished = true
        condition.unlock()
    }

    private func report(_ s: SessionSummary, skipped: (garbage: Int, rejected: Int), logger: Logger) {
        var meta: Logger.Metadata = ["outcome": "\(s.outcome)", "records": "\(s.recordsRead)/\(s.recordsAnnounced)", "new": "\(s.recordsNew)"]
        if let serial = s.deviceSerial { meta["meter"] = "\(serial)" }
        if skipped.rejected > 0 { meta["bad_frames"] = "\(skipped.rejected)" }
        if skipped.garbage > 0 { meta["garbage_bytes"] = "\(skipped.garbage)" }
        switch s.outcome {
        case .complete:
            logger.info("dump complete", metadata: meta)
        case .noAnswer:
            logger.debug("no device answered", metadata: meta)
        case .stopped:
            logger.info("session stopped", metadata: meta)
        case .unplugged:
            logger.warning("device disconnected during the session; records read so far are kept", metadata: meta)
        case .timedOut:
            logger.warning("device stopped answering; records read so far are kept", metadata: meta)
        case let .storeFull(detail):
            meta["error"] = "\(detail)"
            logger.error("STORE FULL: stopped reading the device; it keeps its records and is read again at the next poll",
                            metadata: meta)
        case .storeFailed, .transportFailed:
            logger.error("session failed", metadata: meta)
        }
    }
}
