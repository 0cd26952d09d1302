import BlueZ
import Sessions
import DeviceProfiles
import Discovery
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Services
import Synchronization
import Transports
public import Logging
public import PocGateCore
public import Store
public import Uplink

/// The running gateway: store, profiles, uplink, discovery and one worker per matched port.
public final class Gateway: @unchecked Sendable {
    let config: GatewayConfig
    let logger: Logger
    private let store: Store
    private let uplink: Uplink
    /// Sends the heartbeat (nil with `heartbeat.interval_s: 0`); its own HTTPS handle.
    public let heartbeat: HeartbeatSender?
    /// This gateway's id, stamped on every reading and batch.
    public let gatewayID: String
    /// What discovery's thread, the port workers and the main thread share.
    struct State {
        var catalog: ProfileCatalog
        var workers: [String: PortWorker] = [:]
        /// Ports present that no profile claims, by syspath: matched again after a reload.
        var unclaimed: [String: PortDescription] = [:]
        /// Workers of removed ports, finishing their last session; joined at stop.
        var retired: [PortWorker] = []
        var monitor: DeviceMonitor?
        var ble: (discovery: BLEDiscovery, links: BLELinks)?
        /// The bound classic Bluetooth serial devices (`pocgate bt bind`), once any is bound.
        var spp: SPPDevices?
        var bindings = BluetoothBindings()
        var stopping = false
        var changeObserver: (@Sendable () -> Void)?
    }

    let state: Mutex<State>

    /// Opens the store, loads the profiles and prepares the uplink. Nothing runs yet.
    public init(config: GatewayConfig, logger: Logger) throws(GatewayError) {
        self.config = config
        self.logger = logger
        do {
            store = try Store(path: config.storePath, limits: .megabytes(config.storeMaxSizeMB))
        } catch {
            throw error.isConfiguration ? .unsafeFile("\(error)") : .storeFailed(error)
        }
        gatewayID = GatewayIdentity.resolve(configured: config.gatewayID)
        let key: GatewayKey
        let keyPath = GatewayKey.defaultPath(forStore: config.storePath)
        do {
            key = try GatewayKey.loadOrCreate(path: keyPath, tightened: { previous in
                logger.warning("the gateway signing key was readable by others; its mode is now 0600", metadata: [
                    "code": "\(LogCode.privateFileTightened)", "file": "\(keyPath)", "previous_mode": "\(String(previous, radix: 8))",
                ])
            })
        } catch {
            if case .unsafe = error { throw .unsafeFile("\(error)") }
            throw .store("\(error)")
        }
        let catalog = Self.loadProfiles(config.profilePaths, logger: logger)
        guard !catalog.profiles.isEmpty else { throw .noProfiles(searched: config.profilePaths) }
        state = Mutex(State(catalog: catalog))
        do {
            uplink = try Uplink(store: store, signer: BatchSigner(gatewayID: gatewayID, key: key),
                                settings: config.uplinkSettings, logger: logger)
            heartbeat = config.heartbeatIntervalSeconds == 0 ? nil
                : try HeartbeatSender(settings: config.uplinkSettings, signer: BatchSigner(gatewayID: gatewayID, key: key),
                                      logger: logger)
        } catch {
            throw .uplink("\(error)")
        }
    }

    private static func loadProfiles(_ paths: [String], logger: Logger) -> ProfileCatalog {
        let (catalog, issues) = ProfileCatalog.load(directories: paths, families: .builtIn)
        for issue in issues {
            logger.error("profile not loaded", metadata: ["code": "\(LogCode.profileNotLoaded)", "error": "\(issue)"])
        }
        logger.info("profiles loaded", metadata: ["count": "\(catalog.profiles.count)",
                                                  "ids": "\(catalog.profiles.map(\.id).joined(separator: ","))"])
        return catalog
    }

    /// Starts the uplink and libudev discovery (existing ttys, then hotplug events).
    public func startWithDiscovery() throws(GatewayError) {
        uplink.start()
        let monitor: DeviceMonitor
        do {
            monitor = try DeviceMonitor(logger: logger)
            try monitor.start { [weak self] event in self?.handle(event) }
        } catch {
            uplink.stop()
            throw .discovery("\(error)")
        }
        state.withLock { s in s.monitor = monitor }
        startBLE()
        reloadBindings()
    }

    /// Starts BLE discovery when an enabled profile needs Bluetooth LE: BlueZ on the system bus
    /// (`DBUS_SYSTEM_BUS_ADDRESS` when set). Without BlueZ the ttys are still served.
    private func startBLE() {
        let needed = state.withLock { s in s.catalog.profiles.contains { $0.enabled && $0.transport.opens == .ble } }
        guard needed else { return }
        let client: BlueZClient
        do {
            client = try BlueZClient()
        } catch {
            logger.error("BLE profiles are loaded but BlueZ is not reachable; BLE devices are not served",
                         metadata: ["code": "\(LogCode.bleUnavailable)", "error": "\(error)"])
            return
        }
        let links = BLELinks(client: client, logger: logger)
        let discovery = BLEDiscovery(client: client, logger: logger,
                                     claims: { [weak self] port in self?.state.withLock { $0.catalog.match(port) } != nil },
                                     serviceFilter: { [weak self] in self?.state.withLock { Self.bleServiceFilter($0.catalog) } ?? [] },
                                     report: { [weak self] event in self?.handle(event) })
        let started = state.withLock { s in
            guard !s.stopping else { return false }
            s.ble = (discovery, links)
            return true
        }
        guard started else { return client.close() }
        discovery.start()
    }

    /// Starts the uplink and serves the given ports as if they had been plugged in (the demo's
    /// pseudo-terminal), each with the named profile.
    public func start(fixedPorts: [(PortDescription, profileID: String)]) {
        uplink.start()
        for (port, id) in fixedPorts {
            guard let profile = state.withLock({ s in s.catalog.profile(id: id) }) else {
                logger.error("no such profile for a fixed port", metadata: ["code": "\(LogCode.fixedPortUnknownProfile)",
                                                                            "device": "\(port.devnode)", "profile": "\(id)"])
                continue
            }
            attach(port, profile: profile, fixedID: id)
        }
    }

    func handle(_ event: DeviceEvent) {
        switch event {
        case let .added(found):
            let port = named(found)
            guard let profile = state.withLock({ s -> DeviceProfile? in
                let profile = s.catalog.match(port)
                if profile == nil { s.unclaimed[port.syspath] = port }
                return profile
            }) else {
                logger.info("port not claimed: no profile matches it", metadata: [
                    "device": "\(port.devnode)", "usb": "\(port.usb?.idString ?? "none")",
                    "bluetooth": "\(port.bluetooth?.address ?? "none")"])
                return
            }
            attach(port, profile: profile)
        case let .removed(port):
            let worker: PortWorker? = state.withLock { s in
                s.unclaimed.removeValue(forKey: port.syspath)
                guard let w = s.workers.removeValue(forKey: port.syspath) else { return nil }
                s.retired.removeAll { $0.hasEnded }
                s.retired.append(w)
                return w
            }
            if let worker {
                logger.info("device removed", metadata: ["device": "\(port.devnode)", "profile": "\(worker.profile.id)"])
                worker.portRemoved()
                changed()
            }
        }
    }

    /// The port with its Bluetooth name from `bluetooth.devices`, when configured.
    private func named(_ port: PortDescription) -> PortDescription {
        port.naming(from: config.bluetoothNames)
    }

    /// The profiles that claim `port` in the current catalog; for a fixed port, its named profile.
    private func candidates(_ port: PortDescription, fixedID: String?) -> [DeviceProfile] {
        state.withLock { s in
            if let fixedID { return s.catalog.profile(id: fixedID).map { [$0] } ?? [] }
            return s.catalog.candidates(port)
        }
    }

    /// A worker gave its port up (no profile left for it after a reload): the port waits,
    /// unclaimed, for a reload that brings one.
    private func release(_ port: PortDescription) {
        state.withLock { s in
            guard let w = s.workers.removeValue(forKey: port.syspath) else { return }
            s.retired.removeAll { $0.hasEnded }
            s.retired.append(w)
            if !s.stopping { s.unclaimed[port.syspath] = port }
        }
        changed()
    }

    func attach(_ port: PortDescription, profile: DeviceProfile, fixedID: String? = nil) {
        let worker = PortWorker(port: port, profile: profile, store: store, uplink: uplink, gatewayID: gatewayID,
                                clock: DeviceClockSettings(policy: config.clock, zone: ZoneInfo.named(config.timeZone) ?? .utc),
                                patients: config.patientBinding, logger: logger,
                                resolve: { [weak self] port in self?.candidates(port, fixedID: fixedID) ?? [] },
                                released: { [weak self] port in self?.release(port) },
                                openLink: openLink(for: port),
                                changed: { [weak self] in self?.changed() })
        let added: Bool = state.withLock { s in
            guard !s.stopping, s.workers[port.syspath] == nil else { return false }
            s.workers[port.syspath] = worker
            return true
        }
        guard added else { return }
        logger.info("device attached", metadata: ["device": "\(port.devnode)", "profile": "\(profile.id)",
                                                  "usb": "\(port.usb?.idString ?? "none")",
                                                  "bluetooth": "\(port.bluetooth?.address ?? "none")"])
        worker.start()
        changed()
    }

    /// The discovery filter's services: those the enabled BLE profiles' rules name, when every
    /// rule names one (a rule by address or name alone needs every advertisement).
    static func bleServiceFilter(_ catalog: ProfileCatalog) -> [String] {
        let rules = catalog.profiles.filter { $0.enabled && $0.transport.opens == .ble }.flatMap(\.match.bluetooth)
        guard !rules.isEmpty, rules.allSatisfy({ $0.service != nil }) else { return [] }
        return Array(Set(rules.compactMap(\.service))).sorted()
    }

    /// How a worker opens its port: a tty, a BLE device through BlueZ, or a bound SPP device
    /// through BlueZ's Profile API.
    private func openLink(for port: PortDescription) -> @Sendable (PortDescription, DeviceProfile) throws(LinkError) -> any DeviceLink {
        if port.transport == .btSPP, let spp = state.withLock({ $0.spp }) {
            return { (port, _) throws(LinkError) in try spp.open(port) }
        }
        guard port.transport == .ble, let links = state.withLock({ $0.ble?.links }) else { return PortWorker.openPort }
        return { (port, profile) throws(LinkError) in try links.open(port, profile: profile) }
    }

    /// Re-reads the profiles (SIGHUP, a change in a profile directory). A file that fails
    /// keeps the version loaded before of its profiles (`ProfileCatalog.load(directories:keeping:, families: .builtIn)`).
    /// Sessions already running keep the profile value they started with; the next session of
    /// every port, and every new port, use the new catalog; ports no profile claimed before are
    /// matched again.
    public func reloadProfiles() {
        let previous = state.withLock { s in s.catalog }
        let (fresh, issues, kept) = ProfileCatalog.load(directories: config.profilePaths, keeping: previous, families: .builtIn)
        for issue in issues {
            logger.error("profile not loaded", metadata: ["code": "\(LogCode.profileNotLoaded)", "error": "\(issue)"])
        }
        for profile in kept {
            logger.warning("profile file rejected; the version loaded before stays in use", metadata: [
                "code": "\(LogCode.profileRejectedKeptPrevious)", "profile": "\(profile.id)",
                "version": "\(profile.version)", "file": "\(profile.sourceFile)"])
        }
        guard !fresh.profiles.isEmpty else {
            logger.error("reload found no valid profiles; keeping the ones loaded before",
                         metadata: ["code": "\(LogCode.reloadFoundNoProfiles)"])
            return
        }
        let waiting: [(PortDescription, DeviceProfile)] = state.withLock { s in
            s.catalog = fresh
            guard !s.stopping else { return [] }
            let claimed = s.unclaimed.values.compactMap { port in fresh.match(port).map { (port, $0) } }
            for (port, _) in claimed { s.unclaimed.removeValue(forKey: port.syspath) }
            return claimed.sorted { $0.0.devnode < $1.0.devnode }
        }
        logger.info("profiles reloaded", metadata: ["count": "\(fresh.profiles.count)",
                                                    "ids": "\(fresh.profiles.map(\.id).joined(separator: ","))",
                                                    "kept_previous": "\(kept.count)", "newly_claimed": "\(waiting.count)"])
        for (port, profile) in waiting { attach(port, profile: profile) }
        // The first BLE profile may come with a reload: start looking for its devices then.
        if state.withLock({ $0.ble == nil && $0.monitor != nil && !$0.stopping }) { startBLE() }
        // `pocgate bt bind` and `bt unbind` reload through here too.
        if state.withLock({ $0.monitor != nil }) { reloadBindings() }
    }

    /// Calls `changes` whenever a device is attached or removed, a session starts or ends, or a
    /// new reading is stored, and `uploads` then `changes` after every batch the uplink worker
    /// attempted. Any thread; set before starting.
    public func observe(changes: @escaping @Sendable () -> Void, uploads: @escaping @Sendable (DrainOutcome) -> Void) {
        state.withLock { s in s.changeObserver = changes }
        uplink.activity.observe { outcome in
            uploads(outcome)
            changes()
        }
    }

    private func changed() {
        state.withLock { s in s.changeObserver }?()
    }

    /// The ports being served, in device-node order.
    public func devices() -> [DeviceStatus] {
        state.withLock { s in Array(s.workers.values) }.map(\.status).sorted { $0.devnode < $1.devnode }
    }

    /// The store's counts, for the status line.
    public func storeStats() throws(StoreError) -> StoreStats {
        try store.stats()
    }

    /// What the store says for the heartbeat and the metrics file (`counts`: see `Store.fleetReport`).
    public func fleetReport(counts: Bool = true) throws(StoreError) -> FleetReport {
        try store.fleetReport(counts: counts)
    }

    /// How long the upload attempt in progress has taken so far (read by the upload observer,
    /// on the worker's thread, before the worker goes idle); nil when idle.
    public func uploadAttemptDuration() -> Duration? {
        uplink.activity.heartbeat.busyDuration()
    }

    /// The first activity (the uplink, a device session) busy without progress beyond its
    /// limit, and for how long; nil when everything is healthy.
    public func stalledActivity(at now: ContinuousClock.Instant = .now) -> (name: String, quiet: Duration)? {
        let beats = [uplink.activity.heartbeat] + state.withLock { s in s.workers.values.map(\.heartbeat) }
        for beat in beats {
            if let quiet = beat.overdue(at: now) { return (beat.name, quiet) }
        }
        return nil
    }

    /// Stops discovery (udev, then BLE), every session and the uplink, in that order.
    public func stop() {
        let (monitor, ble, spp, all): (DeviceMonitor?, (discovery: BLEDiscovery, links: BLELinks)?, SPPDevices?, [PortWorker]) = state.withLock { s in
            s.stopping = true
            let all = Array(s.workers.values) + s.retired
            s.workers.removeAll()
            s.retired.removeAll()
            return (s.monitor, s.ble, s.spp, all)
        }
        monitor?.stop()
        ble?.discovery.stop()
        spp?.stop()
        for w in all { w.stop() }
        ble?.links.client.close()
        spp?.client.close()
        uplink.stop()
        logger.info("stopped")
    }
}
