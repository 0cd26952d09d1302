import Foundation

/// A TCP socket listening on 127.0.0.1 that never accepts: with `fillBacklog`, its accept
/// queue is filled by idle connections so new SYNs are dropped (a black hole: connects time
/// out); without, the kernel completes handshakes and the peer's requests are never read
/// (a server that never answers).
final class LoopbackListener {
    let port: Int
    private let fd: Int32
    private var fillers: [Int32] = []

    init(fillBacklog: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, fillBacklog ? 0 : 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        if fillBacklog {
            // A backlog of 0 holds one connection; a few more make sure the queue is full.
            for _ in 0..<4 {
                let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                _ = fcntl(client, F_SETFL, O_NONBLOCK)
                var target = address
                _ = withUnsafeMutablePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                fillers.append(client)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    deinit {
        for client in fillers { close(client) }
        close(fd)
    }
}
