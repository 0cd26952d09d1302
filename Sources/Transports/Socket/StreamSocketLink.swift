import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A byte stream over a connected stream socket: the RFCOMM socket BlueZ hands pocgate for a
/// classic Bluetooth serial (SPP) device. It reads and writes like a tty, with no line settings
/// (RFCOMM carries bytes; the device's UART speed is its own business). Reads wait in `poll`
/// with the caller's deadline and go straight into the caller's buffer (nothing is queued
/// here); the remote end closing, or `hangUp`, ends reads as an unplug.
public final class StreamSocketLink: DeviceLink, @unchecked Sendable {
    /// The descriptor, -1 once closed; guarded so that `hangUp` (another thread) never acts on
    /// a number that `close` already released.
    private let descriptor: Mutex<Int32>
    /// What the link is, for messages (`bt-spp 00:1A:7D:DA:71:13`).
    public let name: String

    /// Takes ownership of `fd` (a connected stream socket) and makes it non-blocking.
    public init(fd: Int32, name: String) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        descriptor = Mutex(fd)
        self.name = name
    }

    deinit { close() }

    private var fd: Int32 { descriptor.withLock { $0 } }

    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        var sent = 0
        let deadline = Monotonic.millis() + Int64(timeoutMillis)
        while sent < bytes.count {
            let fd = self.fd
            guard fd >= 0 else { throw .unplugged(errno: EBADF) }
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            let e = errno
            if n < 0 && e == EINTR { continue }
            if n < 0 && e != EAGAIN { throw Self.failure("write", e) }
            let left = deadline - Monotonic.millis()
            guard left > 0 else { throw .writeTimeout }
            let revents = try waitFor(fd, events: Int16(POLLOUT), timeoutMillis: Int(left))
            if revents & Int16(POLLHUP | POLLERR) != 0 && revents & Int16(POLLOUT) == 0 { throw .unplugged(errno: ECONNRESET) }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        let deadline = Monotonic.millis() + Int64(timeoutMillis)
        while true {
            let fd = self.fd
            guard fd >= 0 else { throw .unplugged(errno: EBADF) }
            let n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return n }
            // A stream socket reads 0 only at the end: the device (or BlueZ) closed the link.
            if n == 0 { throw .unplugged(errno: ECONNRESET) }
            let e = errno
            if e == EINTR { continue }
            if e != EAGAIN { throw Self.failure("read", e) }
            let left = deadline - Monotonic.millis()
            if left <= 0 { return 0 }
            if try waitFor(fd, events: Int16(POLLIN), timeoutMillis: Int(left)) == 0 { return 0 }
        }
    }

    /// A socket error: the link gone (reset, not connected, host down) or another failure.
    static func failure(_ operation: String, _ e: Int32) -> LinkError {
        switch e {
        case ECONNRESET, ENOTCONN, EPIPE, EHOSTDOWN, EHOSTUNREACH, ETIMEDOUT, ECONNABORTED, EBADF, ENODEV, EIO:
            .unplugged(errno: e)
        default:
            .io(operation: operation, errno: e)
        }
    }

    private func waitFor(_ fd: Int32, events: Int16, timeoutMillis: Int) throws(LinkError) -> Int16 {
        var p = pollfd(fd: fd, events: events, revents: 0)
        let r = poll(&p, 1, Int32(clamping: timeoutMillis))
        if r < 0 {
            let e = errno
            if e == EINTR { return 0 }
            throw .io(operation: "poll", errno: e)
        }
        if p.revents & Int16(POLLNVAL) != 0 { throw .unplugged(errno: EBADF) }
        return r == 0 ? 0 : p.revents
    }

    /// Drops what arrived and was not read (at most 64 KiB, so a device that streams cannot
    /// keep the caller here).
    public func discardInput() {
        let fd = self.fd
        guard fd >= 0 else { return }
        var scratch = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<16 {
            let n = scratch.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n <= 0 { return }
        }
    }

    /// Ends the connection from another thread (BlueZ's `RequestDisconnection`): pending and
    /// later reads see the end of the stream; the owner still closes the link.
    public func hangUp() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    public func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }
}
