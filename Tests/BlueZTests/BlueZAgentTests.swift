import BlueZ
import Foundation
import Testing
import TestSupport
import Transports

/// The agent's calls arrive on the bus thread; a person's answer takes seconds. The answer must
/// come from another thread, or the bus thread waits for itself (BlueZ then times the pairing out).
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"))
struct BlueZAgentTests {
    /// Answers only after its own D-Bus call on the same connection (to the bus daemon: the mock
    /// is busy inside Pair) has returned: possible only when the responder does not run on the
    /// bus thread (there the call would never be sent).
    struct CallingResponder: PairingResponder {
        let client: BlueZClient
        let device: String
        func passkey(for device: String) -> UInt32? {
            let id = try? client.connection.call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                                 interface: "org.freedesktop.DBus", member: "GetId", timeoutMillis: 5000)
            return id?.first?.stringValue == nil ? nil : 42917
        }
        func pinCode(for device: String) -> String? { nil }
        func confirm(_ passkey: UInt32, for device: String) -> Bool { false }
        func display(_ passkey: UInt32, for device: String) {}
    }

    @Test func passkeyIsAnsweredOffTheBusThreadWhileThePairCallWaits() throws {
        let bus = try BLEBus(pairPasskey: "042917")
        let client = try BlueZClient(address: bus.address)
        let agent = try BlueZAgent(client: client, device: BLEBus.meterPath,
                                   responder: CallingResponder(client: client, device: BLEBus.meterPath))
        try client.pair(device: BLEBus.meterPath, timeoutMillis: 15_000)
        #expect(client.waitForDevice(BLEBus.meterPath, millis: 5000) { $0?.paired == true })
        #expect(agent.asked == ["RequestPasskey"])
        agent.unregister()
        client.close()
        #expect(try bus.result().pairing?.answers.map(\.value) == [42917])
    }

    /// Only the device being paired is authorised: a request naming another device is rejected.
    @Test func requestsForAnotherDeviceAreRejected() throws {
        let bus = try BLEBus(stranger: true, pairPasskey: "042917")
        let client = try BlueZClient(address: bus.address)
        let agent = try BlueZAgent(client: client, device: BLEBus.strangerPath,
                                   responder: CallingResponder(client: client, device: BLEBus.strangerPath))
        #expect(throws: PairingError.self) { try client.pair(device: BLEBus.meterPath, timeoutMillis: 15_000) }
        #expect(client.device(at: BLEBus.meterPath)?.paired == false)
        agent.unregister()
        client.close()
        let pairing = try #require(try bus.result().pairing)
        #expect(pairing.answers.isEmpty)
        #expect(pairing.agentErrors == ["org.bluez.Error.Rejected"])
    }
}
