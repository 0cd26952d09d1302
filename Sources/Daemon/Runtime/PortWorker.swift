package import DeviceProfiles
package import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Logging
package import PocGateCore
package import Sessions
import Services
import Synchronization
package import Transports
package import Store
package import Uplink

/// Owns one port for as long as it is present: opens it, runs the profile's session, records
/// the session, and talks to the port again after the profile's poll interval (a cable can
/// stay plugged while meters come and go), longer while the port stays quiet (`ReopenPacer`).
///
/// Each session starts with the gateway's current catalog (`resolve`): after a profile reload
/// the next session uses the new version, while a session in progress keeps the value it
/// started with. When several live profiles tie (a bare bridge id) the worker probes them
/// with their read-only identification commands; when none is left, it releases the port.
package final class PortWorker: Service, @unchecked Sendable {
    package let port: PortDescription
    /// The profiles that claim the port now, best first (`ProfileCatalog.candidates`).
    private let resolve: @Sendable (PortDescription) -> [DeviceProfile]
    /// Called once when the catalog no longer has a profile for the port.
    private let released: @Sendable (PortDescription) -> Void
    /// Busy while a session runs; each record the device delivers is progress.
    package let heartbeat: Heartbeat
    package let attachedAt = Date()
    private let store: Store
    private let uplink: Uplink
    private let gatewayID: String
    private let clock: DeviceClockSettings
    private let patients: PatientBinding
    private let logger: Logger
    private let changed: @Sendable () -> Void
    /// Opens the port's link for a session (a tty by default; a BLE device's GATT link).
    private let openLink: @Sendable (PortDescription, DeviceProfile) throws(LinkError) -> any DeviceLink
    /// What the worker's thread and the gateway's threads share, and wait on.
    private struct State {
        /// No further session after the current one (port removed, or stopping).
        var finished = false
        /// The daemon is stopping: the current session ends at its next step.
        var stopping = false
        var lastReadingAt: Date?
        var inSession = false
        var current: DeviceProfile
        var verdict: String?
        /// What the last session found wrong with the device.
        var problem: String?
        /// The id a probe chose; kept while that profile stays a candidate.
        var probedID: String?
        var pacer: ReopenPacer
    }

    private let state: Monitor<State>
    private let thread = Mutex<ServiceThread?>(nil)

    /// The profile of the current (or last) session.
    package var profile: DeviceProfile { state.withLock { $0.current } }

    /// `changed` is called whenever what `status` reports changes.
    package init(port: PortDescription, profile: DeviceProfile, store: Store, uplink: Uplink, gatewayID: String,
         clock: DeviceClockSettings = DeviceClockSettings(), patients: PatientBinding = .center, logger: Logger,
         resolve: @escaping @Sendable (PortDescription) -> [DeviceProfile],
         released: @escaping @Sendable (PortDescription) -> Void = { _ in },
         openLink: @escaping @Sendable (PortDescription, DeviceProfile) throws(LinkError) -> any DeviceLink = PortWorker.openPort,
         changed: @escaping @Sendable () -> Void) {
        self.openLink = openLink
        self.clock = clock
        self.patients = patients
        self.port = port
        state = Monitor(State(current: profile, pacer: ReopenPacer(base: .seconds(profile.session.pollIntervalSeconds))))
        self.resolve = resolve
        self.released = released
        self.store = store
        self.uplink = uplink
        self.changed = changed
        self.gatewayID = gatewayID
        var logger = logger
        logger[metadataKey: "device"] = "\(port.devnode)"
        self.logger = logger
        heartbeat = Heartbeat(name: "session on \(port.devnode)", limit: Self.progressLimit(profile.session))
    }

    /// The link the profile's transport says on a udev port: a tty, a hidraw node or a CP2110
    /// bridge (`PortLink`). BLE ports get their opener from the BLE side.
    package static func openPort(_ port: PortDescription, _ profile: DeviceProfile) throws(LinkError) -> any DeviceLink {
        try PortLink.open(port, profile: profile)
    }

    /// How long a session may go without a record before the watchdog calls it stalled: far
    /// beyond what the profile's timeouts and retries allow for one record (time and value).
    package static func progressLimit(_ session: SessionSettings) -> Duration {
        let perExchange = Duration.milliseconds(session.replyTimeoutMillis) * (session.retries + 1)
        return max(.seconds(120), perExchange * 20)
    }

    /// What the worker reports for `pocgate status`.
    package var status: DeviceStatus {
        state.withLock { s in
            DeviceStatus(devnode: port.devnode, profile: s.current.id, usb: port.usb?.idString, bluetooth: port.bluetooth?.address,
                         attachedAt: attachedAt, lastReadingAt: s.lastReadingAt, inSession: s.inSession, verdict: s.verdict,
                         problem: s.problem)
        }
    }

    private func setInSession(_ value: Bool) {
        state.withLock { $0.inSession = value }
        if value { heartbeat.beat() } else { heartbeat.idle() }
        changed()
    }

    private func recordProgress(newReading: Bool) {
        heartbeat.beat()
        guard newReading else { return }
        state.withLock { $0.lastReadingAt = Date() }
        changed()
    }

    package var serviceName: String { "port \(port.devnode)" }

    /// Starts the worker's thread (once).
    package func start() {
        thread.withLock { thread in
            guard thread == nil else { return }
            thread = ServiceThread(name: "port \(port.devnode.split(separator: "/").last ?? "")") { [self] in loop() }
        }
    }

    /// The port went away: no further session. A session in progress is not interrupted: it
    /// ends by itself on the hang-up, as `unplugged`, keeping everything read so far.
    package func portRemoved() {
        state.update { $0.finished = true }
    }

    /// The daemon is stopping: ends the session at its next step and waits for the thread.
    /// Safe to call more than once.
    package func stop() {
        state.update {
            $0.finished = true
            $0.stopping = true
        }
        thread.withLock { $0 }?.join()
    }

    private var isFinished: Bool { state.withLock { $0.finished } }

    /// Whether the worker's thread has finished.
    package var hasEnded: Bool { thread.withLock { $0 }?.hasEnded ?? false }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func loop() {
        while !isFinished {
            let quiet = runOneSession()
            // Wait for the poll interval (longer while the port stays quiet), or until told to finish.
            let (delay, backingOff, cap) = state.withLock { s in
                (s.pacer.sessionEnded(quiet: quiet), s.pacer.isBackingOff && s.pacer.quietStreak == 2, s.pacer.cap)
            }
            if backingOff && !isFinished {
                logger.warning("port stays quiet; opening it less often", metadata: [
                    "code": "\(LogCode.portQuietBackingOff)", "next_s": "\(Int(delay / .seconds(1)))",
                    "max_s": "\(Int(cap / .seconds(1)))"])
            }
            state.wait(until: .now + delay) { $0.finished }
        }
    }

    /// The profile for the next session: the catalog's best candidate, or the one a probe of
    /// the tied live candidates chose; nil (after releasing the port, or a quiet probe) when
    /// there is none. `quiet` says the port did not answer.
    private func chooseProfile() -> (profile: DeviceProfile?, quiet: Bool) {
        let candidates = resolve(port)
        guard let first = candidates.first else {
            logger.warning("no loaded profile claims this port any more; releasing it",
                           metadata: ["code": "\(LogCode.profileRemovedPortReleased)", "profile": "\(profile.id)"])
            finishAfterThisSession()
            released(port)
            return (nil, false)
        }
        let live = candidates.filter(\.hasLiveSession)
        guard live.count > 1 else {
            setCurrent(first, verdict: nil)
            return (first, false)
        }
        let probedID = state.withLock { $0.probedID }
        if let chosen = live.first(where: { $0.id == probedID }) {
            setCurrent(chosen, verdict: nil, keepVerdict: true)
            return (chosen, false)
        }
        let prober = PortProber(port: port, logger: logger, open: { [port, openLink] (profile) throws(LinkError) in try openLink(port, profile) })
        let result = prober.probe(live)
        state.withLock { $0.probedID = result.profile?.id }
        guard let chosen = result.profile else {
            logger.warning("no candidate profile answered its identification probe; the port is not read",
                           metadata: ["code": "\(LogCode.probeFoundNoProfile)", "verdict": "\(result.verdict)"])
            setVerdict(result.verdict)
            return (nil, true)
        }
        logger.info("probe chose a profile", metadata: ["profile": "\(chosen.id)", "verdict": "\(result.verdict)"])
        setCurrent(chosen, verdict: result.verdict)
        return (chosen, false)
    }

    private func setCurrent(_ profile: DeviceProfile, verdict: String?, keepVerdict: Bool = false) {
        state.withLock { s in
            s.current = profile
            if !keepVerdict { s.verdict = verdict }
            let base = Duration.seconds(profile.session.pollIntervalSeconds)
            if s.pacer.base != base { s.pacer = ReopenPacer(base: base) }
        }
    }

    private func setVerdict(_ verdict: String) {
        state.withLock { $0.verdict = verdict }
        changed()
    }

    /// One session; returns whether the port stayed quiet (no answer, stopped answering,
    /// cannot open, nothing answered a probe).
    private func runOneSession() -> Bool {
        let (chosen, quietProbe) = chooseProfile()
        guard let profile = chosen else { return quietProbe }
        var logger = self.logger
        logger[metadataKey: "profile"] = "\(profile.id)"
        logger[metadataKey: "profile_version"] = "\(profile.version)"
        // A udev port (tty, hidraw) is never opened for a BLE profile; BLE ports bring their own opener.
        guard port.transport == .ble || PortLink.opens(profile.transport) else {
            logger.error("the profile's transport is not opened by a port worker; the port is not read",
                         metadata: ["code": "\(LogCode.transportNotServed)", "transport": "\(profile.transport.rawValue)"])
            finishAfterThisSession()
            return false
        }
        let transport: any DeviceLink
        do {
            transport = try openLink(port, profile)
        } catch {
            if profile.transport.opens != .hidraw {
                logger.error("cannot open port", metadata: ["code": "\(LogCode.portOpenFailed)", "error": "\(error)"])
            } else {
                logger.error("cannot open or set up the HID port", metadata: [
                    "code": "\(LogCode.hidOpenFailed)", "transport": "\(profile.transport.rawValue)", "error": "\(error)"])
            }
            return true
        }
        defer { transport.close() }
        setInSession(true)
        defer { setInSession(false) }
        let sessionID: Int64
        do {
            sessionID = try store.beginSession(devnode: port.devnode, profileID: profile.id, startedAtMillis: WallClock.millis())
        } catch {
            logger.error("cannot record session in the store; not reading the device",
                         metadata: ["code": "\(LogCode.sessionNotRecorded)", "error": "\(error)"])
            return false
        }
        var sessionLogger = logger
        sessionLogger[metadataKey: "session"] = "\(sessionID)"
        let provenance = ReadingProvenance(gatewayID: gatewayID, profileVersion: profile.version,
                                           profileHash: profile.contentHash)
        let sink = StoreSink(store: store, sessionID: sessionID, uplink: uplink, provenance: provenance, clock: clock,
                             patients: patients, analytes: profile.analytes, profileID: profile.id, logger: sessionLogger,
                             stopRequested: { [weak self] in self?.isStopping ?? true },
                             progress: { [weak self] newReading in self?.recordProgress(newReading: newReading) })
        let fallbackSerial = FallbackDeviceSerial.forPort(usbSerial: port.usb?.serial, gatewayID: gatewayID, devnode: port.devnode)
        guard let (summary, skipped) = SessionRunner.run(profile, transport: transport, sink: sink, clock: clock,
                                                         fallbackSerial: fallbackSerial, logger: sessionLogger) else {
            sessionLogger.error("protocol has no live session in this version; the device is not read",
                                metadata: ["code": "\(LogCode.protocolHasNoSession)", "protocol": "\(profile.protocol.rawValue)"])
            try? store.endSession(sessionID, outcome: "unsupported-protocol", recordsRead: 0, recordsNew: 0, endedAtMillis: WallClock.millis())
            finishAfterThisSession()
            return false
        }
        do {
            try store.endSession(sessionID, outcome: summary.outcome.description, recordsRead: summary.recordsRead,
                                 recordsNew: summary.recordsNew, endedAtMillis: WallClock.millis())
        } catch {
            sessionLogger.error("cannot record the end of the session",
                                metadata: ["code": "\(LogCode.sessionEndNotRecorded)", "error": "\(error)"])
        }
        // The session adds nothing more: its last readings need not wait for a full batch.
        if summary.recordsNew > 0 { uplink.flush() }
        report(summary, skipped: skipped, problems: sink.problems, logger: sessionLogger)
        setProblem(summary)
        return Self.backsOff(after: summary.outcome)
    }

    /// Whether a session that ended so counts as quiet for the reopen pacing: a device that
    /// does not answer (or stopped answering) is asked less and less often; a listening port
    /// that stayed silent for its quiet time is simply idle and is reopened after the poll
    /// interval, so a device that speaks first finds it open again within seconds.
    package static func backsOff(after outcome: SessionOutcome) -> Bool {
        switch outcome {
        case .noAnswer, .timedOut, .notThisProtocol: return true
        case .quiet, .complete, .unplugged, .stopped, .storeFailed, .storeFull, .transportFailed: return false
        }
    }

    /// Keeps what a session found wrong with the device for `status`; a session that read a
    /// record clears it.
    private func setProblem(_ summary: SessionSummary) {
        let found: String?
        switch summary.outcome {
        case let .notThisProtocol(detail): found = detail
        default:
            guard summary.recordsRead > 0 else { return }
            found = nil
        }
        let changedNow = state.withLock { s in
            defer { s.problem = found }
            return s.problem != found
        }
        if changedNow { changed() }
    }

    /// No point polling a port whose protocol cannot be spoken.
    private func finishAfterThisSession() {
        state.withLock { $0.finished = true }
    }

    private func report(_ s: SessionSummary, skipped: (garbage: Int, rejected: Int), problems: ProblemTally, logger: Logger) {
        var meta: Logger.Metadata = ["outcome": "\(s.outcome)", "records": "\(s.recordsRead)/\(s.recordsAnnounced)", "new": "\(s.recordsNew)"]
        if let serial = s.deviceSerial { meta["meter"] = "\(serial)" }
        if skipped.rejected > 0 { meta["bad_frames"] = "\(skipped.rejected)" }
        if skipped.garbage > 0 { meta["garbage_bytes"] = "\(skipped.garbage)" }
        if s.pendingBytes > 0 { meta["pending_bytes"] = "\(s.pendingBytes)" }
        if problems.seen > 0 { meta["undecoded"] = "\(problems.seen)" }
        if problems.notKept > 0 { meta["undecoded_not_kept"] = "\(problems.notKept)" }
        switch s.outcome {
        case .complete:
            logger.info("dump complete", metadata: meta)
        case .noAnswer:
            logger.debug("no device answered", metadata: meta)
        case .quiet:
            logger.debug("port quiet for the profile's quiet time; closing it until the next poll", metadata: meta)
        case .stopped:
            logger.info("session stopped", metadata: meta)
        case .unplugged:
            meta["code"] = "\(LogCode.deviceUnplugged)"
            logger.warning("device disconnected during the session; records read so far are kept", metadata: meta)
        case .timedOut:
            meta["code"] = "\(LogCode.deviceStoppedAnswering)"
            logger.warning("device stopped answering; records read so far are kept", metadata: meta)
        case let .storeFull(detail):
            meta["error"] = "\(detail)"
            logger.error("STORE FULL: stopped reading the device; it keeps its records and is read again at the next poll",
                            metadata: meta)
        case .storeFailed, .transportFailed:
            meta["code"] = "\(LogCode.sessionFailed)"
            logger.error("session failed", metadata: meta)
        case let .notThisProtocol(detail):
            meta["code"] = "\(LogCode.notThisProtocol)"
            meta["error"] = "\(detail)"
            logger.error("the device on this port does not speak the profile's protocol", metadata: meta)
        }
    }
}
