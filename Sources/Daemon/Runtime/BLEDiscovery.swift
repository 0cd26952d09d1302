import BlueZ
import Discovery
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Logging
import PocGateCore
import Services
import Synchronization

/// Finds the BLE devices the loaded profiles claim: keeps each adapter scanning (LE only,
/// and only for the profiles' advertised services when every BLE rule names one; BlueZ never
/// reconnects such devices by itself, so the gateway keeps looking), and reports a
/// device as an added port only when a profile matches its address, OUI, name or advertised
/// service. A device no
/// profile matches is never reported, so never connected: the phones in the waiting room stay
/// untouched. A device BlueZ forgets (InterfacesRemoved) is reported removed.
final class BLEDiscovery: @unchecked Sendable {
    private let client: BlueZClient
    private let logger: Logger
    private let claims: @Sendable (PortDescription) -> Bool
    private let serviceFilter: @Sendable () -> [String]
    private let report: @Sendable (DeviceEvent) -> Void
    private struct State {
        var stopping = false
        var generation = 0
    }
    private let state = Monitor(State())
    private let thread = Mutex<ServiceThread?>(nil)
    private var observer: Int?
    /// How often the device list is looked at again without a change signal.
    static let rescanInterval = Duration.seconds(2)

    /// - Parameters:
    ///   - claims: whether an enabled profile claims the port (the catalog, at that moment).
    ///   - serviceFilter: the service UUIDs of the discovery filter (empty: any device).
    ///   - report: the gateway's port events.
    init(client: BlueZClient, logger: Logger, claims: @escaping @Sendable (PortDescription) -> Bool,
         serviceFilter: @escaping @Sendable () -> [String] = { [] },
         report: @escaping @Sendable (DeviceEvent) -> Void) {
        self.client = client
        self.serviceFilter = serviceFilter
        self.logger = logger
        self.claims = claims
        self.report = report
    }

    /// The port a BLE device becomes: devnode and syspath are its object path (a handle).
    static func port(_ d: BlueZDevice) -> PortDescription {
        PortDescription(devnode: d.path, syspath: d.path, bluetooth: d.identity, transport: .ble)
    }

    func start() {
        observer = client.addObserver { [weak self] event in
            switch event {
            case .added, .removed: self?.state.update { $0.generation += 1 }
            case let .changed(_, interface, names) where interface == BlueZName.device && names.contains("Name"):
                self?.state.update { $0.generation += 1 }
            default: break
            }
        }
        thread.withLock { $0 = ServiceThread(name: "ble discovery") { [self] in loop() } }
    }

    func stop() {
        state.update { $0.stopping = true }
        thread.withLock { $0 }?.join()
        if let observer { client.removeObserver(observer) }
        for adapter in client.adapters where adapter.discovering { try? client.stopDiscovery(adapter: adapter.path) }
    }

    private func loop() {
        var reported: [String: PortDescription] = [:]
        var failedAdapters: Set<String> = []
        var seen = -1
        while !state.withLock({ $0.stopping }) {
            for adapter in client.adapters where !adapter.discovering && adapter.powered {
                do {
                    try client.setDiscoveryFilter(adapter: adapter.path, uuids: serviceFilter(), rssi: nil)
                    try client.startDiscovery(adapter: adapter.path)
                    failedAdapters.remove(adapter.path)
                    logger.info("BLE discovery started", metadata: ["adapter": "\(adapter.path)"])
                } catch {
                    if failedAdapters.insert(adapter.path).inserted {
                        logger.warning("cannot start BLE discovery; retrying", metadata: [
                            "code": "\(LogCode.bleDiscoveryFailed)", "adapter": "\(adapter.path)", "error": "\(error)"])
                    }
                }
            }
            let devices = client.devices
            let present = Set(devices.map(\.path))
            for (path, port) in reported where !present.contains(path) {
                reported[path] = nil
                report(.removed(port))
            }
            for d in devices where reported[d.path] == nil {
                let port = Self.port(d)
                guard claims(port) else { continue }
                reported[d.path] = port
                report(.added(port))
            }
            seen = state.withLock { $0.generation }
            state.wait(until: .now + Self.rescanInterval) { $0.stopping || $0.generation != seen }
        }
    }
}
