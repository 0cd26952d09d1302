import Services
import Synchronization
public import Transports

/// What pairing asks of the person at the gateway. Called on the agent's own thread (never the
/// bus thread), so an answer may take as long as typing it does.
public protocol PairingResponder: Sendable {
    /// The 6-digit passkey the device displays (0…999999), or nil to refuse.
    func passkey(for device: String) -> UInt32?
    /// The PIN code of a legacy (pre-2.1) device, or nil to refuse.
    func pinCode(for device: String) -> String?
    /// Numeric comparison: whether the device displays `passkey` too.
    func confirm(_ passkey: UInt32, for device: String) -> Bool
    /// The passkey to type on the device (a device with a keyboard).
    func display(_ passkey: UInt32, for device: String)
}

/// pocgate's pairing agent (`org.bluez.Agent1`), registered with BlueZ as the default agent
/// for the time of one pairing: BlueZ asks only the default agent when pairing is not started
/// by the agent's own client, and a NoInputNoOutput agent cannot pair a meter that shows a
/// passkey, hence KeyboardDisplay. Calls arrive on the bus thread and are queued to the
/// agent's thread, which asks the responder and answers; the bus thread never waits for a
/// person (a bus thread blocked on the answer would stall BlueZ's pairing until it times out).
/// Only the device being paired is authorised; any other is rejected.
public final class BlueZAgent: Sendable {
    public static let path = "/org/pocgate/agent"
    public static let capability = "KeyboardDisplay"

    private struct Queue {
        var calls: [DBusMethodCall] = []
        var stopping = false
        var asked: [String] = []
    }

    private let client: BlueZClient
    private let device: String
    private let responder: any PairingResponder
    private let queue = Monitor(Queue())
    private let worker = Mutex<ServiceThread?>(nil)

    /// Exports the agent, registers it and makes it BlueZ's default agent.
    /// - Parameter device: the object path of the one device this agent answers for.
    public init(client: BlueZClient, device: String, responder: any PairingResponder) throws(BluetoothFailure) {
        self.client = client
        self.device = device
        self.responder = responder
        do {
            try client.connection.exportAgent1(path: Self.path) { [queue] call in
                queue.update { $0.calls.append(call) }
            }
        } catch {
            throw .serviceUnavailable(detail: error.description)
        }
        worker.withLock { $0 = ServiceThread(name: "bluez agent") { [self] in run() } }
        do {
            try client.call("/org/bluez", BlueZName.agentManager, "RegisterAgent", [.objectPath(Self.path), .string(Self.capability)])
            try client.call("/org/bluez", BlueZName.agentManager, "RequestDefaultAgent", [.objectPath(Self.path)])
        } catch {
            stop()
            throw error
        }
    }

    /// The agent methods BlueZ called, in order (for the technician's messages and the tests).
    public var asked: [String] { queue.withLock { $0.asked } }

    /// Unregisters the agent (BlueZ then picks another default) and stops its thread.
    public func unregister() {
        _ = try? client.call("/org/bluez", BlueZName.agentManager, "UnregisterAgent", [.objectPath(Self.path)], timeoutMillis: 5000)
        stop()
    }

    private func stop() {
        queue.update { $0.stopping = true }
        worker.withLock { t in
            t?.join()
            t = nil
        }
    }

    private func run() {
        while true {
            queue.wait(until: nil) { $0.stopping || !$0.calls.isEmpty }
            let (calls, stopping) = queue.update { q in
                defer { q.calls.removeAll() }
                q.asked += q.calls.map(\.member)
                return (q.calls, q.stopping)
            }
            for call in calls { answer(call) }
            if stopping { return }
        }
    }

    private func answer(_ call: DBusMethodCall) {
        let target = call.arguments.first?.stringValue
        let rejected = { (why: String) in call.fail(name: "org.bluez.Error.Rejected", message: why) }
        switch call.member {
        case "Release", "Cancel", "DisplayPinCode":
            call.reply()
        case _ where target != nil && target != device:
            rejected("pocgate pairs only the device it was asked to pair")
        case "RequestPasskey":
            guard let passkey = responder.passkey(for: device), passkey <= 999_999 else { return rejected("no passkey given") }
            call.reply([.uint32(passkey)])
        case "RequestPinCode":
            guard let pin = responder.pinCode(for: device), (1...16).contains(pin.utf8.count) else { return rejected("no PIN code given") }
            call.reply([.string(pin)])
        case "DisplayPasskey":
            if case let .uint32(passkey)? = call.arguments.dropFirst().first { responder.display(passkey, for: device) }
            call.reply()
        case "RequestConfirmation":
            guard case let .uint32(passkey)? = call.arguments.dropFirst().first, responder.confirm(passkey, for: device) else {
                return rejected("the passkey was not confirmed")
            }
            call.reply()
        case "RequestAuthorization", "AuthorizeService":
            call.reply()
        default:
            call.fail(name: "org.freedesktop.DBus.Error.UnknownMethod", message: call.member)
        }
    }
}
