internal import CSDBus
import Services
import Synchronization

/// A method call to an object pocgate exports on the bus (its agent), held until answered.
/// The handler that received it runs on the bus thread and must not block: it hands the call
/// to another thread, which answers with `reply` or `fail` whenever it is ready (the answer is
/// sent by the bus thread). A call dropped unanswered is answered `org.bluez.Error.Canceled`.
public final class DBusMethodCall: @unchecked Sendable {
    /// The method's name (`RequestPasskey`, …).
    public let member: String
    /// The call's arguments, read when it arrived.
    public let arguments: [DBusValue]
    /// The message, referenced until the answer is sent; touched only on the bus thread.
    private let message: OpaquePointer
    private let connection: DBusConnection
    private let answered = Mutex(false)

    init(message: OpaquePointer, member: String, arguments: [DBusValue], connection: DBusConnection) {
        sd_bus_message_ref(message)
        self.message = message
        self.member = member
        self.arguments = arguments
        self.connection = connection
    }

    deinit {
        if !answered.withLock({ $0 }) { send(.failure(DBusError(name: "org.bluez.Error.Canceled", message: "not answered"))) }
    }

    /// Answers with a method return carrying `values` (types as the method's signature says).
    public func reply(_ values: [DBusValue] = []) { answer(.success(values)) }

    /// Answers with the D-Bus error `name`.
    public func fail(name: String, message: String) { answer(.failure(DBusError(name: name, message: message))) }

    private func answer(_ result: Result<[DBusValue], DBusError>) {
        let first = answered.withLock { done in defer { done = true }; return !done }
        if first { send(result) }
    }

    private func send(_ result: Result<[DBusValue], DBusError>) {
        let box = MessageBox(message)
        connection.perform { _ in
            let call = box.message
            defer { sd_bus_message_unref(call) }
            switch result {
            case let .success(values):
                var reply: OpaquePointer?
                var r = sd_bus_message_new_method_return(call, &reply)
                if r >= 0 { r = DBusMessageCoding.append(values, to: reply!) }
                if r >= 0 { r = sd_bus_send(nil, reply, nil) }
                sd_bus_message_unref(reply)
                if r < 0 { _ = csdbus_reply_error(call, "org.freedesktop.DBus.Error.Failed", "the answer could not be sent") }
            case let .failure(error):
                _ = csdbus_reply_error(call, error.name, error.message)
            }
        }
    }
}

/// A message pointer handed to the bus thread (which alone touches it).
private struct MessageBox: @unchecked Sendable {
    let message: OpaquePointer
    init(_ message: OpaquePointer) { self.message = message }
}

/// The userdata of one exported object: the Swift handler its calls go to.
final class ExportedObject {
    let handler: @Sendable (DBusMethodCall) -> Void
    unowned let connection: DBusConnection
    let box: UnsafeMutablePointer<csdbus_object_box>

    init(connection: DBusConnection, handler: @escaping @Sendable (DBusMethodCall) -> Void) {
        self.connection = connection
        self.handler = handler
        box = .allocate(capacity: 1)
        box.initialize(to: csdbus_object_box(handler: { m, context in
            guard let m, let context else { return -22 }
            return Unmanaged<ExportedObject>.fromOpaque(context).takeUnretainedValue().received(m)
        }, context: nil))
        box.pointee.context = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit { box.deallocate() }

    /// On the bus thread: reads the call and hands it over; a call that cannot be read is
    /// answered InvalidArgs by sd-bus.
    func received(_ m: OpaquePointer) -> Int32 {
        guard let member = sd_bus_message_get_member(m), let arguments = DBusMessageCoding.readAll(m) else { return -22 }
        handler(DBusMethodCall(message: m, member: String(cString: member), arguments: arguments, connection: connection))
        return 1
    }
}

extension DBusConnection {
    /// Exports BlueZ's `org.bluez.Agent1` interface at `path`: each call goes to `handler` on
    /// the bus thread (it must not block; it answers later from another thread). Waits until
    /// the object is in place. Must not be called on the bus thread.
    public func exportAgent1(path: String, handler: @escaping @Sendable (DBusMethodCall) -> Void) throws(DBusError) {
        try export(path: path, handler: handler) { bus, path, box in csdbus_add_agent1(bus, nil, path, box) }
    }

    /// Exports BlueZ's `org.bluez.Profile1` interface at `path` (an external profile), as
    /// `exportAgent1` does. A `NewConnection` call's file descriptor (argument 1) belongs to
    /// the message: it is valid until the call is answered, so `handler` duplicates it first.
    public func exportProfile1(path: String, handler: @escaping @Sendable (DBusMethodCall) -> Void) throws(DBusError) {
        try export(path: path, handler: handler) { bus, path, box in csdbus_add_profile1(bus, nil, path, box) }
    }

    private func export(path: String, handler: @escaping @Sendable (DBusMethodCall) -> Void,
                        add: @escaping @Sendable (OpaquePointer, String, UnsafeMutablePointer<csdbus_object_box>) -> Int32) throws(DBusError) {
        let object = ExportedObject(connection: self, handler: handler)
        let holder = ObjectHolder(object)
        let result = Monitor<Int32?>(nil)
        perform { [self] bus in
            let r = add(bus, path, holder.object.box)
            if r >= 0 { retain(holder.object) }
            result.update { $0 = r }
        }
        result.wait(until: .now + .seconds(5)) { $0 != nil }
        guard let r = result.withLock({ $0 }) else {
            throw closedReason ?? DBusError(name: DBusError.busClosedName, message: "the bus thread did not export \(path)")
        }
        if r < 0 { throw .errno("exporting \(path)", r) }
    }
}

/// An exported object handed to the bus thread.
private struct ObjectHolder: @unchecked Sendable {
    let object: ExportedObject
    init(_ object: ExportedObject) { self.object = object }
}
