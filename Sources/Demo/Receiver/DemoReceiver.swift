import Daemon
import Emulators
import Services
import FoundationEssentials
import Glibc
import Synchronization
import Uplink

/// A minimal FHIR endpoint on 127.0.0.1 for `pocgate demo`: plain HTTP/1.1, keep-alive,
/// `Content-Length` bodies up to 8 MiB, no TLS; gzip request bodies are decompressed.
///
/// POST a FHIR transaction (or batch) Bundle to any path. Each entry is answered like a FHIR
/// server's conditional create: an entry whose `request.ifNoneExist` was seen before gets
/// `200 OK`, a new one `201 Created` (a PUT is keyed by its URL). Every new Observation is
/// passed to the handler before the response is sent. Malformed JSON gets `400` with an
/// OperationOutcome.
public final class DemoReceiver: Sendable {
    /// The port it listens on (the system's pick when created with port 0).
    public let port: Int

    /// Connections served at once; more are answered 503 and closed.
    package static let maxConnections = 32

    private let listener: Int32
    private let wake: WakePipe
    private let handler: @Sendable (DemoObservation) -> Void
    private let processor = Mutex(FHIRTransactionProcessor())
    private let state = Mutex(State())
    /// The accept thread and one per connection, joined at stop.
    private let threads = Mutex<[ServiceThread]>([])

    private struct State {
        var phase = Phase.idle
        var connections = 0
    }

    private enum Phase {
        case idle, running, stopped
    }

    /// Binds and listens on 127.0.0.1; connections are accepted once `start()` is called.
    ///
    /// - Parameters:
    ///   - port: the port, or 0 (the default) for any free one; read the choice from `port`.
    ///   - handler: called once for each new Observation, on a connection's thread.
    public init(port: Int = 0, handler: @escaping @Sendable (DemoObservation) -> Void) throws(DemoReceiverError) {
        guard (0...65535).contains(port) else { throw .invalidPort(port) }
        switch WakePipe.open() {
        case .success(let pipe): wake = pipe
        case .failure(let failure): throw .system(call: failure.call, errno: failure.errno)
        }
        switch Self.listen(port: port) {
        case .success(let (fd, bound)):
            listener = fd
            self.port = bound
        case .failure(let error):
            wake.close()
            throw error
        }
        self.handler = handler
    }

    deinit {
        let open = state.withLock { state -> Bool in
            if case .stopped = state.phase { return false }
            return true
        }
        if open {
            close(listener)
            wake.close()
        }
    }

    /// How many Observations have been created (new, not repeated) so far.
    public var createdObservations: Int { processor.withLock { $0.observationsCreated } }

    /// Starts accepting connections on a background thread. Calling it again, or after
    /// `stop()`, does nothing.
    public func start() {
        let starts = state.withLock { state -> Bool in
            guard case .idle = state.phase else { return false }
            state.phase = .running
            return true
        }
        guard starts else { return }
        let thread = ServiceThread(name: "receiver-accept") { [self] in acceptLoop() }
        threads.withLock { $0.append(thread) }
    }

    /// Stops accepting, ends open connections, waits for their threads and closes the socket.
    /// Do not call it from the handler: it waits for the thread the handler runs on.
    public func stop() {
        let previous = state.withLock { state -> Phase in
            let phase = state.phase
            state.phase = .stopped
            return phase
        }
        guard previous != .stopped else { return }
        wake.signal()
        // The accept thread first: once it has returned no connection thread is added.
        while let next = threads.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { next.join() }
        close(listener)
        wake.close()
    }

    // MARK: - Threads

    private func acceptLoop() {
        while true {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                // EMFILE and friends: back off instead of spinning on a pending connection.
                if errno != EINTR && errno != EAGAIN && errno != ECONNABORTED { wake.wait(milliseconds: 100) }
                continue
            }
            configure(client)
            let admitted = state.withLock { state -> Bool in
                guard state.connections < Self.maxConnections else { return false }
                state.connections += 1
                return true
            }
            guard admitted else {
                let connection = HTTPConnection(fd: client, wake: wake)
                let busy = ReceiverHTTPResponse.outcome(status: 503, reason: "Service Unavailable", code: "transient",
                                                "too many connections; retry shortly")
                _ = connection.send(busy.serialized(keepAlive: false))
                connection.lingeringClose()
                continue
            }
            let thread = ServiceThread(name: "receiver-conn") { [self] in
                serve(HTTPConnection(fd: client, wake: wake))
                state.withLock { $0.connections -= 1 }
            }
            threads.withLock { threads in
                threads.removeAll { $0.hasEnded }
                threads.append(thread)
            }
        }
    }

    private func serve(_ initial: HTTPConnection) {
        var connection = initial
        while true {
            switch connection.nextRequest() {
            case .closed:
                close(connection.fd)
                return
            case .reject(let response):
                _ = connection.send(response.serialized(keepAlive: false))
                connection.lingeringClose()
                return
            case .request(let request):
                let response = respond(to: request)
                let keepAlive = request.keepAlive && !response.closeAfter
                guard connection.send(response.serialized(keepAlive: keepAlive)), keepAlive else {
                    close(connection.fd)
                    return
                }
            }
        }
    }

    private func respond(to request: ReceiverHTTPRequest) -> ReceiverHTTPResponse {
        guard request.method == "POST" else {
            return .outcome(status: 405, reason: "Method Not Allowed", code: "not-supported",
                            "\(request.method) is not supported; POST a FHIR transaction Bundle")
        }
        var body = request.body
        switch request.header("Content-Encoding")?.lowercased() {
        case nil, "identity":
            break
        case "gzip":
            do {
                body = try Gzip.decompress(body, limit: 64 << 20)
            } catch {
                return .outcome(status: 400, reason: "Bad Request", code: "structure", "the gzip body cannot be decompressed: \(error)")
            }
        case let coding?:
            return .outcome(status: 415, reason: "Unsupported Media Type", code: "not-supported",
                            "Content-Encoding \(coding) is not supported by the demo receiver; send gzip or no coding")
        }
        let result = processor.withLock { $0.process(body) }
        for observation in result.created { handler(observation) }
        return result.response
    }

    // MARK: - Sockets

    private func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    private static func listen(port: Int) -> Swift.Result<(Int32, Int), DemoReceiverError> {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return .failure(.system(call: "socket", errno: errno)) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            return .failure(code == EADDRINUSE ? .portInUse(port) : .system(call: "bind 127.0.0.1:\(port)", errno: code))
        }
        guard Glibc.listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            return .failure(.system(call: "listen", errno: code))
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            close(fd)
            return .failure(.system(call: "getsockname", errno: code))
        }
        return .success((fd, Int(UInt16(bigEndian: address.sin_port))))
    }
}
