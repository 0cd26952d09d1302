internal import CSDBus
import Services
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A connection to a D-Bus bus whose one thread owns the sd-bus object (sd-bus is not
/// thread-safe): every call from another thread is queued, sent asynchronously by the bus
/// thread, and its caller waits for the reply; signals are dispatched on the bus thread
/// meanwhile. A call therefore never blocks the thread that dispatches signals, and signal
/// handlers must never call (they only record and wake).
public final class DBusConnection: @unchecked Sendable {
    private enum Request {
        case call(id: Int, destination: String, path: String, interface: String, member: String,
                  arguments: [DBusValue], timeoutMicros: UInt64)
        case match(rule: String, handler: @Sendable (DBusSignal) -> Void)
        /// Work that needs the sd-bus object (exporting an object, sending a deferred reply).
        case perform(@Sendable (OpaquePointer) -> Void)
    }

    /// One caller's wait for its reply.
    private final class Pending: Sendable {
        let result = Monitor<Result<[DBusValue], DBusError>?>(nil)
        func complete(_ r: Result<[DBusValue], DBusError>) { result.update { if $0 == nil { $0 = r } } }
    }

    private struct Shared {
        var requests: [Request] = []
        var pending: [Int: Pending] = [:]
        var nextID = 1
        var stopping = false
        /// Why the connection ended, once it has.
        var closed: DBusError?
    }

    private let shared = Mutex(Shared())
    /// Touched only by the bus thread once `start` returned.
    private let bus: OpaquePointer
    private let wakeFD: Int32
    private let thread = Mutex<ServiceThread?>(nil)
    private let busThreadID = Mutex<pthread_t?>(nil)
    /// Signal handlers, kept alive as long as the connection (userdata of their matches).
    private var matchBoxes: [Unmanaged<MatchBox>] = []
    /// Exported objects' userdata, likewise (touched only by the bus thread).
    private var objectBoxes: [Unmanaged<AnyObject>] = []

    /// Opens the system bus (`DBUS_SYSTEM_BUS_ADDRESS` when set, as sd-bus reads it) or the bus
    /// at `address`, and starts the bus thread.
    public init(address: String? = nil, name: String = "dbus") throws(DBusError) {
        var b: OpaquePointer?
        if let address {
            var r = sd_bus_new(&b)
            if r >= 0 { r = sd_bus_set_address(b, address) }
            if r >= 0 { r = sd_bus_set_bus_client(b, 1) }
            if r >= 0 { r = sd_bus_start(b) }
            if r < 0 {
                sd_bus_unref(b)
                throw .errno("cannot connect to the bus at \(address)", r)
            }
        } else {
            let r = sd_bus_open_system(&b)
            if r < 0 { throw .errno("cannot connect to the system bus", r) }
        }
        bus = b!
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wakeFD >= 0 else {
            sd_bus_flush_close_unref(bus)
            throw .errno("eventfd", -errno)
        }
        thread.withLock { $0 = ServiceThread(name: name) { [self] in loop() } }
    }

    deinit {
        close()
    }

    /// Calls a method and waits for its reply (at most `timeoutMillis`, then NoReply).
    /// Must not be called on the bus thread, that is from a signal handler.
    public func call(destination: String, path: String, interface: String, member: String,
                     _ arguments: [DBusValue] = [], timeoutMillis: Int = 25_000) throws(DBusError) -> [DBusValue] {
        if let owner = busThreadID.withLock({ $0 }), pthread_equal(owner, pthread_self()) != 0 {
            preconditionFailure("a D-Bus call from the bus thread would wait for itself")
        }
        let pending = Pending()
        let queued: DBusError? = shared.withLock { s in
            if let closed = s.closed { return closed }
            let id = s.nextID
            s.nextID += 1
            s.pending[id] = pending
            s.requests.append(.call(id: id, destination: destination, path: path, interface: interface, member: member,
                                    arguments: arguments, timeoutMicros: UInt64(max(1, timeoutMillis)) * 1000))
            return nil
        }
        if let queued { throw queued }
        wake()
        // sd-bus times the call out itself; the margin only covers a thread that stopped.
        let deadline = ContinuousClock.now + .milliseconds(timeoutMillis + 2000)
        pending.result.wait(until: deadline) { $0 != nil }
        switch pending.result.withLock({ $0 }) {
        case let .success(values): return values
        case let .failure(error): throw error
        case nil: throw DBusError(name: DBusError.noReplyName, message: "\(interface).\(member) on \(path): no reply")
        }
    }

    /// Installs a match rule; `handler` runs on the bus thread for each matching signal and
    /// must not block or call.
    public func addMatch(_ rule: String, handler: @escaping @Sendable (DBusSignal) -> Void) {
        shared.withLock { $0.requests.append(.match(rule: rule, handler: handler)) }
        wake()
    }

    /// Runs `work` on the bus thread with the sd-bus object; it must not block or call.
    /// Dropped when the connection has ended.
    func perform(_ work: @escaping @Sendable (OpaquePointer) -> Void) {
        let queued = shared.withLock { s in
            guard s.closed == nil, !s.stopping else { return false }
            s.requests.append(.perform(work))
            return true
        }
        if queued { wake() }
    }

    /// Keeps `object` alive as long as the connection (the userdata of an exported object).
    /// On the bus thread only.
    func retain(_ object: AnyObject) {
        objectBoxes.append(Unmanaged.passRetained(object))
    }

    /// Why the connection ended (nil while it is up).
    public var closedReason: DBusError? { shared.withLock { $0.closed } }

    /// Stops the bus thread and closes the connection; pending calls fail. Safe twice.
    public func close() {
        shared.withLock { $0.stopping = true }
        wake()
        thread.withLock { t in
            t?.join()
            t = nil
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    // MARK: the bus thread

    private func loop() {
        busThreadID.withLock { $0 = pthread_self() }
        var ended: DBusError?
        while ended == nil {
            let (requests, stopping) = shared.withLock { s in
                defer { s.requests.removeAll() }
                return (s.requests, s.stopping)
            }
            if stopping {
                ended = DBusError(name: DBusError.busClosedName, message: "the bus connection was closed")
                break
            }
            for request in requests { send(request) }
            while ended == nil {
                let r = sd_bus_process(bus, nil)
                if r < 0 { ended = .errno("the bus connection was lost", r) }
                if r <= 0 { break }
            }
            if ended != nil { break }
            waitForWork()
        }
        finish(ended!)
    }

    private func waitForWork() {
        var fds = [pollfd(fd: sd_bus_get_fd(bus), events: Int16(truncatingIfNeeded: sd_bus_get_events(bus)), revents: 0),
                   pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        var until: UInt64 = 0
        var timeout: Int32 = -1
        if sd_bus_get_timeout(bus, &until) > 0, until != UInt64.max {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let nowMicros = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
            timeout = until <= nowMicros ? 0 : Int32(min((until - nowMicros + 999) / 1000, 60_000))
        }
        _ = poll(&fds, 2, timeout)
        if fds[1].revents != 0 {
            var value: UInt64 = 0
            _ = Glibc.read(wakeFD, &value, 8)
        }
    }

    private func send(_ request: Request) {
        switch request {
        case let .perform(work):
            work(bus)
        case let .match(rule, handler):
            let box = Unmanaged.passRetained(MatchBox(handler))
            matchBoxes.append(box)
            _ = sd_bus_add_match_async(bus, nil, rule, { m, userdata, _ in
                guard let m, let userdata else { return 0 }
                Unmanaged<MatchBox>.fromOpaque(userdata).takeUnretainedValue().deliver(m)
                return 0
            }, nil, box.toOpaque())
        case let .call(id, destination, path, interface, member, arguments, timeoutMicros):
            var m: OpaquePointer?
            var r = sd_bus_message_new_method_call(bus, &m, destination, path, interface, member)
            if r >= 0 { r = DBusMessageCoding.append(arguments, to: m!) }
            if r >= 0 {
                let box = Unmanaged.passRetained(CallBox(connection: self, id: id))
                r = sd_bus_call_async(bus, nil, m, { reply, userdata, _ in
                    guard let reply, let userdata else { return 0 }
                    let box = Unmanaged<CallBox>.fromOpaque(userdata).takeRetainedValue()
                    box.connection.complete(id: box.id, reply: reply)
                    return 0
                }, box.toOpaque(), timeoutMicros)
                if r < 0 { box.release() }
            }
            sd_bus_message_unref(m)
            if r < 0 { fail(id: id, .errno("\(interface).\(member) on \(path)", r)) }
        }
    }

    private func finish(_ reason: DBusError) {
        let pending = shared.withLock { s in
            s.closed = reason
            defer { s.pending.removeAll() }
            return Array(s.pending.values)
        }
        for p in pending { p.complete(.failure(reason)) }
        sd_bus_flush_close_unref(bus)
        Glibc.close(wakeFD)
        for box in matchBoxes { box.release() }
        matchBoxes.removeAll()
        for box in objectBoxes { box.release() }
        objectBoxes.removeAll()
    }

    private func fail(id: Int, _ error: DBusError) {
        shared.withLock { $0.pending.removeValue(forKey: id) }?.complete(.failure(error))
    }

    func complete(id: Int, reply: OpaquePointer) {
        guard let pending = shared.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
        if let name = csdbus_error_name(reply) {
            pending.complete(.failure(DBusError(name: String(cString: name),
                                                message: csdbus_error_message(reply).map { String(cString: $0) } ?? "")))
            return
        }
        guard let values = DBusMessageCoding.readAll(reply) else {
            pending.complete(.failure(DBusError(name: DBusError.badReplyName, message: "a reply could not be read")))
            return
        }
        pending.complete(.success(values))
    }
}

/// The userdata of one asynchronous call: whose reply it is. Released by the reply's callback
/// (sd-bus calls it once, with the reply or its own timeout error).
private final class CallBox {
    unowned let connection: DBusConnection
    let id: Int
    init(connection: DBusConnection, id: Int) {
        self.connection = connection
        self.id = id
    }
}

/// The userdata of one match rule: the handler its signals go to.
final class MatchBox {
    private let handler: @Sendable (DBusSignal) -> Void
    init(_ handler: @escaping @Sendable (DBusSignal) -> Void) { self.handler = handler }

    func deliver(_ m: OpaquePointer) {
        guard let path = sd_bus_message_get_path(m), let interface = sd_bus_message_get_interface(m),
              let member = sd_bus_message_get_member(m), let arguments = DBusMessageCoding.readAll(m)
        else { return }
        handler(DBusSignal(path: String(cString: path), interface: String(cString: interface),
                           member: String(cString: member), arguments: arguments))
    }
}
