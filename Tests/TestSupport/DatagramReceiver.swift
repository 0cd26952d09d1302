import Foundation
import Synchronization

/// An AF_UNIX datagram socket a test binds to stand in for systemd's notify socket or the
/// journal's socket. A thread drains it continuously (Linux queues only a few datagrams per
/// socket, and a blocked sender would stall the code under test). A file descriptor passed
/// with a datagram (SCM_RIGHTS, as the journal protocol does for large entries) is read and
/// its contents recorded as the datagram.
public final class DatagramReceiver: Sendable {
    /// The address to give the code under test: a path, or `@name` for an abstract socket.
    public let address: String
    private let inbox: Inbox
    private let directory: String?

    /// Binds a socket file in a fresh temporary directory, or an abstract name.
    public init(abstract: Bool = false) throws {
        let tag = UUID().uuidString.prefix(8)
        var path: String
        if abstract {
            path = "@pocgate-test-\(tag)"
            directory = nil
        } else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-dgram-\(tag)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            directory = dir
            path = dir + "/socket"
        }
        address = path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError.socket("socket: errno \(errno)") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard rc == 0 else {
            close(fd)
            throw TestSupportError.socket("bind \(path): errno \(errno)")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let inbox = Inbox(fd: fd)
        self.inbox = inbox
        Thread { inbox.drain() }.start()
    }

    /// Stops the draining thread (it closes the socket) and removes the socket file.
    deinit {
        inbox.stopped.withLock { $0 = true }
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Every datagram received so far, in order.
    public var datagrams: [[UInt8]] { inbox.received.withLock { $0 } }

    /// The datagrams as text.
    public var texts: [String] { datagrams.map { String(decoding: $0, as: UTF8.self) } }

    /// Waits until `condition` holds for the datagrams received, at most `timeout` seconds.
    @discardableResult
    public func wait(timeout: Double, until condition: ([[UInt8]]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(datagrams) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(datagrams)
    }
}

/// The socket and what arrived on it, shared with the draining thread (which holds no
/// reference to the receiver, so dropping the receiver stops it).
private final class Inbox: Sendable {
    let fd: Int32
    let received = Mutex<[[UInt8]]>([])
    let stopped = Mutex(false)

    init(fd: Int32) { self.fd = fd }

    func drain() {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var control = [UInt8](repeating: 0, count: 64)
        while !stopped.withLock({ $0 }) {
            let (count, passed) = buffer.withUnsafeMutableBytes { data in
                control.withUnsafeMutableBytes { ctl -> (Int, Int32?) in
                    var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &vector) { v -> (Int, Int32?) in
                        var message = msghdr()
                        message.msg_iov = v
                        message.msg_iovlen = 1
                        message.msg_control = ctl.baseAddress
                        message.msg_controllen = ctl.count
                        let n = recvmsg(fd, &message, 0)
                        guard n >= 0 else { return (-1, nil) }
                        var passed: Int32?
                        if message.msg_controllen >= MemoryLayout<cmsghdr>.size {
                            let header = ctl.load(as: cmsghdr.self)
                            if header.cmsg_level == SOL_SOCKET && header.cmsg_type == Int32(SCM_RIGHTS) {
                                passed = ctl.load(fromByteOffset: MemoryLayout<cmsghdr>.size, as: Int32.self)
                            }
                        }
                        return (n, passed)
                    }
                }
            }
            guard count >= 0 else { continue }  // timeout: look at `stopped` again
            var datagram = Array(buffer[0..<count])
            if let passed {
                datagram = Self.readAll(passed)
                close(passed)
            }
            received.withLock { $0.append(datagram) }
        }
    }

    private static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n <= 0 { break }
            out += chunk[0..<n]
            offset += off_t(n)
        }
        return out
    }
}

/// One entry of the journal's native protocol, decoded.
public struct JournalFields: Sendable {
    /// Fields in order.
    public var fields: [(name: String, value: String)]

    /// The first value of `name`.
    public subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Decodes `NAME=value\n` fields and the binary form `NAME\n<u64 le length><bytes>\n`.
    public init(_ bytes: [UInt8]) {
        fields = []
        var i = 0
        while i < bytes.count {
            guard let end = bytes[i...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") }) else { break }
            let name = String(decoding: bytes[i..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                let stop = bytes[(end + 1)...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                fields.append((name, String(decoding: bytes[(end + 1)..<stop], as: UTF8.self)))
                i = stop + 1
            } else {
                guard end + 9 <= bytes.count else { break }
                var length: UInt64 = 0
                for k in 0..<8 { length |= UInt64(bytes[end + 1 + k]) << (8 * UInt64(k)) }
                let start = end + 9
                let stop = min(bytes.count, start + Int(length))
                fields.append((name, String(decoding: bytes[start..<stop], as: UTF8.self)))
                i = stop + 1
            }
        }
    }
}
