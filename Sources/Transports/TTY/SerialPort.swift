#if canImport(Glibc)
import Glibc
#endif

/// A tty opened raw and nonblocking at the given line settings: the byte-stream link.
public final class SerialPort: DeviceLink {
    /// The device node.
    public let path: String
    private var fd: Int32

    /// Opens `path` (O_NOCTTY, nonblocking, exclusive) and applies `line` in raw mode.
    public init(path: String, line: TTYSettings) throws(LinkError) {
        self.path = path
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .openFailed(path: path, errno: errno) }
        self.fd = fd
        if ioctl(fd, UInt(TIOCEXCL)) != 0 && errno == EBUSY {
            Glibc.close(fd)
            throw .busy(path: path)
        }
        do {
            try Self.configure(fd: fd, path: path, line: line)
        } catch {
            Glibc.close(fd)
            self.fd = -1
            throw error
        }
    }

    deinit { close() }

    private static func configure(fd: Int32, path: String, line: TTYSettings) throws(LinkError) {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { throw .configureFailed(path: path, errno: errno) }
        cfmakeraw(&t)
        t.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
        let cleared: tcflag_t = tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        t.c_cflag &= ~cleared
        switch line.dataBits {
        case 5: t.c_cflag |= tcflag_t(CS5)
        case 6: t.c_cflag |= tcflag_t(CS6)
        case 7: t.c_cflag |= tcflag_t(CS7)
        default: t.c_cflag |= tcflag_t(CS8)
        }
        switch line.parity {
        case .none: break
        case .even: t.c_cflag |= tcflag_t(PARENB)
        case .odd: t.c_cflag |= tcflag_t(PARENB) | tcflag_t(PARODD)
        }
        if line.stopBits == 2 { t.c_cflag |= tcflag_t(CSTOPB) }
        if line.hardwareFlowControl { t.c_cflag |= tcflag_t(CRTSCTS) }
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        let speed = speedConstant(line.baud)
        guard cfsetispeed(&t, speed) == 0, cfsetospeed(&t, speed) == 0 else { throw .configureFailed(path: path, errno: errno) }
        if tcsetattr(fd, TCSANOW, &t) != 0 {
            // Some pseudo-terminal drivers refuse (EINVAL) to set parity over a line that had
            // parity set before; setting the line without parity first, then with it, works.
            let failure = errno
            var plain = t
            plain.c_cflag &= ~(tcflag_t(PARENB) | tcflag_t(PARODD))
            guard failure == EINVAL, t.c_cflag & tcflag_t(PARENB) != 0,
                  tcsetattr(fd, TCSANOW, &plain) == 0, tcsetattr(fd, TCSANOW, &t) == 0 else {
                throw .configureFailed(path: path, errno: failure)
            }
        }
        tcflush(fd, TCIOFLUSH)
    }

    private static func speedConstant(_ baud: Int) -> speed_t {
        switch baud {
        case 1200: return speed_t(B1200)
        case 2400: return speed_t(B2400)
        case 4800: return speed_t(B4800)
        case 9600: return speed_t(B9600)
        case 38400: return speed_t(B38400)
        case 57600: return speed_t(B57600)
        case 115200: return speed_t(B115200)
        case 230400: return speed_t(B230400)
        case 460800: return speed_t(B460800)
        default: return speed_t(B19200)
        }
    }

    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        var sent = 0
        let deadline = Monotonic.millis() + Int64(timeoutMillis)
        while sent < bytes.count {
            guard fd >= 0 else { throw .unplugged(errno: EBADF) }
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + sent, bytes.count - sent) }
            if n > 0 { sent += n; continue }
            let e = errno
            if n < 0 && e == EINTR { continue }
            if n < 0 && e != EAGAIN { throw Errno.meansUnplugged(e) ? .unplugged(errno: e) : .io(operation: "write", errno: e) }
            let left = deadline - Monotonic.millis()
            guard left > 0 else { throw .writeTimeout }
            let revents = try waitFor(events: Int16(POLLOUT), timeoutMillis: Int(left))
            if revents & Int16(POLLHUP | POLLERR) != 0 && revents & Int16(POLLOUT) == 0 { throw .unplugged(errno: EIO) }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        let deadline = Monotonic.millis() + Int64(timeoutMillis)
        var hungUp = false
        while true {
            guard fd >= 0 else { throw .unplugged(errno: EBADF) }
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return n }
            let e = errno
            if n < 0 && e == EINTR { continue }
            if n < 0 && e != EAGAIN { throw Errno.meansUnplugged(e) ? .unplugged(errno: e) : .io(operation: "read", errno: e) }
            // n == 0 is "no data" for a raw tty with VMIN=0; only poll can tell a hang-up.
            if hungUp { throw .unplugged(errno: EIO) }
            let left = deadline - Monotonic.millis()
            if left <= 0 { return 0 }
            let revents = try waitFor(events: Int16(POLLIN), timeoutMillis: Int(left))
            if revents == 0 { return 0 }
            hungUp = revents & Int16(POLLHUP | POLLERR) != 0
        }
    }

    /// poll()s the fd; returns the revents (0 on timeout); throws when the fd is invalid.
    private func waitFor(events: Int16, timeoutMillis: Int) throws(LinkError) -> Int16 {
        var p = pollfd(fd: fd, events: events, revents: 0)
        let r = poll(&p, 1, Int32(clamping: timeoutMillis))
        if r < 0 {
            let e = errno
            if e == EINTR { return 0 }
            throw .io(operation: "poll", errno: e)
        }
        if r == 0 { return 0 }
        if p.revents & Int16(POLLNVAL) != 0 { throw .unplugged(errno: EBADF) }
        return p.revents
    }

    public func discardInput() {
        if fd >= 0 { tcflush(fd, TCIFLUSH) }
    }

    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}
