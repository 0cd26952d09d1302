import Foundation
import Synchronization

/// A TCP server on 127.0.0.1 that accepts each connection, reads the client's first bytes
/// (the TLS ClientHello) and then resets it: a data center killed mid-handshake.
final class HandshakeBreaker: Sendable {
    let port: Int
    private let fd: Int32
    private let state = State()

    private final class State: Sendable {
        let stopping = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        /// How many connections were broken off.
        let broken = Atomic<Int>(0)
    }

    /// How many connections were broken off so far.
    var brokenCount: Int { state.broken.load(ordering: .acquiring) }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let state = self.state
        Thread { Self.serve(fd, state) }.start()
    }

    private static func serve(_ fd: Int32, _ state: State) {
        while !state.stopping.load(ordering: .acquiring) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 512)
            var reader = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            if poll(&reader, 1, 2_000) > 0 { _ = read(client, &buffer, buffer.count) }
            // SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            var option = linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
            close(client)
            state.broken.add(1, ordering: .releasing)
        }
        state.finished.store(true, ordering: .releasing)
    }

    deinit {
        state.stopping.store(true, ordering: .releasing)
        while !state.finished.load(ordering: .acquiring) { usleep(10_000) }
        close(fd)
    }
}
