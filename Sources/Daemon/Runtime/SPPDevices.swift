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
import Transports

/// The classic Bluetooth serial (SPP) devices bound with `pocgate bt bind`, served through
/// BlueZ's Profile API: registers pocgate's SPP profile (`SerialPortProfile`), reports each
/// bound device BlueZ knows as a port (`bt-spp`, its object path as devnode), reports it
/// removed when it is unbound or BlueZ forgets it, and opens a session's link by asking BlueZ
/// to connect the profile. A bound device BlueZ does not know yet is looked for again when
/// BlueZ adds or removes a device (its InterfacesAdded/Removed signals, already mirrored by
/// `BlueZClient`), and logged once.
final class SPPDevices: @unchecked Sendable {
    let client: BlueZClient
    private let profile: SerialPortProfile
    private let logger: Logger
    private let report: @Sendable (PortDescription, BluetoothBindings.Binding?) -> Void
    private struct State {
        var bindings: BluetoothBindings
        var stopping = false
        var generation = 0
    }
    private let state: Monitor<State>
    private let thread = Mutex<ServiceThread?>(nil)
    private var observer: Int?
    /// How long the list waits without a BlueZ signal before it is looked at again anyway: the
    /// signals carry every change, so this is a safety net, not a poll (an idle gateway with
    /// bound devices wakes once a minute for it, not every two seconds).
    static let rescanInterval = Duration.seconds(60)

    /// - Parameter report: a port added (with its binding) or removed (nil binding).
    init(client: BlueZClient, bindings: BluetoothBindings, logger: Logger,
         report: @escaping @Sendable (PortDescription, BluetoothBindings.Binding?) -> Void) throws(BluetoothFailure) {
        self.client = client
        self.logger = logger
        self.report = report
        state = Monitor(State(bindings: bindings))
        profile = try SerialPortProfile(client: client)
    }

    /// The port a bound device becomes.
    static func port(_ d: BlueZDevice) -> PortDescription {
        PortDescription(devnode: d.path, syspath: "bt-spp:" + d.address,
                        bluetooth: BluetoothIdentity(address: d.address, name: d.name, services: d.uuids), transport: .btSPP)
    }

    func start() {
        observer = client.addObserver { [weak self] event in
            switch event {
            case .added, .removed: self?.state.update { $0.generation += 1 }
            default: break
            }
        }
        thread.withLock { $0 = ServiceThread(name: "bt-spp devices") { [self] in loop() } }
    }

    /// Serves `bindings` from now on (a reload).
    func update(_ bindings: BluetoothBindings) {
        state.update { s in
            s.bindings = bindings
            s.generation += 1
        }
    }

    func stop() {
        state.update { $0.stopping = true }
        thread.withLock { $0 }?.join()
        if let observer { client.removeObserver(observer) }
        profile.unregister()
    }

    /// A session's link: BlueZ connects the device's SPP profile and hands over the socket.
    func open(_ port: PortDescription) throws(LinkError) -> any DeviceLink {
        do {
            return try profile.connect(device: port.devnode, name: port.bluetooth?.address ?? port.devnode)
        } catch {
            throw GATTLink.linkError(error)
        }
    }

    private func loop() {
        var reported: [String: (port: PortDescription, binding: BluetoothBindings.Binding)] = [:]
        var missing: Set<String> = []
        while true {
            let (bindings, seen, stopping) = state.withLock { ($0.bindings, $0.generation, $0.stopping) }
            if stopping { return }
            let devices = client.devices
            for (address, entry) in reported {
                let device = devices.first { $0.address == address }
                guard bindings.binding(for: address) != entry.binding || device?.path != entry.port.devnode else { continue }
                reported[address] = nil
                report(entry.port, nil)
            }
            for binding in bindings.bindings where reported[binding.address] == nil {
                guard let device = devices.first(where: { $0.address == binding.address }) else {
                    if missing.insert(binding.address).inserted {
                        logger.warning("a bound Bluetooth serial device is not known to BlueZ; it is not connected until it is paired again",
                                       metadata: ["code": "\(LogCode.btBoundDeviceUnknown)", "bluetooth": "\(binding.address)"])
                    }
                    continue
                }
                missing.remove(binding.address)
                let port = Self.port(device)
                reported[binding.address] = (port, binding)
                report(port, binding)
            }
            missing.formIntersection(bindings.bindings.map(\.address))
            state.wait(until: .now + Self.rescanInterval) { $0.stopping || $0.generation != seen }
        }
    }
}
