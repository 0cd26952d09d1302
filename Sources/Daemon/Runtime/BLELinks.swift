import BlueZ
import DeviceProfiles
import Logging
import PocGateCore
import Services
import Transports

/// Opens the link of a BLE port for a session: connects the device (one connection attempt at
/// a time per adapter: controllers handle concurrent connection set-up badly), waits for its
/// services, and subscribes to the profile's characteristics (`ble-uart`), or hands the
/// session the device's characteristics by UUID (`ble-gatt`: the session subscribes to what
/// its SIG profile needs). The link disconnects the device when the session closes it.
final class BLELinks: Sendable {
    let client: BlueZClient
    private let connecting = Monitor<Set<String>>([])
    private let logger: Logger

    init(client: BlueZClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func open(_ port: PortDescription, profile: DeviceProfile) throws(LinkError) -> any DeviceLink {
        let ble = profile.bleSerial
        guard ble != nil || profile.transport == .bleGATT else {
            throw .bluetooth(.notSupported(detail: "profile \(profile.id) (\(profile.transport.rawValue)) has no 'ble' serial characteristics"))
        }
        guard let device = client.device(at: port.devnode) else { throw .unplugged(errno: 19) }
        while !connecting.update({ $0.insert(device.adapter).inserted }) {
            connecting.wait(until: nil) { !$0.contains(device.adapter) }
        }
        defer { connecting.update { _ = $0.remove(device.adapter) } }
        do {
            try client.connect(device: device.path, timeoutMillis: 30_000)
        } catch {
            throw GATTLink.linkError(error)
        }
        guard profile.transport != .bleGATT, let ble else {
            return GATTDevice(client: client, device: device.path, disconnectsOnClose: true, logger: logger)
        }
        do {
            return try GATTLink(client: client, device: device.path, service: ble.service, write: ble.write, notify: ble.notify,
                                writeWithResponse: ble.writeWithResponse, byteStream: true, disconnectsOnClose: true, logger: logger)
        } catch {
            try? client.disconnect(device: device.path)
            throw error
        }
    }
}
