import CHIDRaw

#if canImport(Glibc)
import Glibc
#endif

/// A USB HID interface read through Linux hidraw (`/dev/hidrawN`): the message link. Each
/// `read` returns exactly one input report (byte 0 the report id when the device numbers its
/// reports, hidraw(4)); each `write` sends one whole output report (byte 0 the report id, 0x00
/// when the device does not number them); feature reports go through HIDIOCGFEATURE and
/// HIDIOCSFEATURE. An unplugged device (ENODEV, EIO, a hang-up) ends the link as
/// `LinkError.unplugged`, as a tty's does.
public final class HIDRawLink: DeviceLink, HIDFeatureReports {
    /// The device node.
    public let path: String
    /// The longest report read in one call; a longer one is cut by the kernel. 64 bytes is a
    /// full-speed USB interrupt packet, report id included.
    public let maximumReportLength: Int
    private var fd: Int32

    /// Opens `path` read-write, nonblocking, close-on-exec. The node must be a character
    /// device; a symbolic link is followed only into /dev (udev's own links), never elsewhere.
    public init(path: String, maximumReportLength: Int = 64) throws(LinkError) {
        self.path = path
        self.maximumReportLength = max(1, maximumReportLength)
        try Self.checkPath(path)
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .openFailed(path: path, errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFCHR else {
            Glibc.close(fd)
            throw .notADevice(path: path, found: "not a character device")
        }
        self.fd = fd
    }

    deinit { close() }

    /// Refuses a path that is a symbolic link leading out of /dev (a node replaced by a link
    /// to a file would otherwise be read or written as the device).
    private static func checkPath(_ path: String) throws(LinkError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw .openFailed(path: path, errno: errno) }
        guard st.st_mode & S_IFMT == S_IFLNK else { return }
        guard let resolved = realpath(path, nil) else { throw .openFailed(path: path, errno: errno) }
        defer { free(resolved) }
        let target = String(cString: resolved)
        guard target.hasPrefix("/dev/") else {
            throw .notADevice(path: path, found: "a symbolic link to \(target), outside /dev")
        }
    }

    public var delivery: LinkDelivery { .messages(maximumLength: maximumReportLength) }

    /// Sends one output report; hidraw takes a report whole or not at all.
    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        guard !bytes.isEmpty else { return }
        let deadline = Monotonic.millis() + Int64(timeoutMillis)
        while true {
            guard fd >= 0 else { throw .unplugged(errno: EBADF) }
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, bytes.count) }
            if n == bytes.count { return }
            let e = errno
            if n >= 0 { throw .io(operation: "write of a \(bytes.count)-byte report (\(n) taken)", errno: EIO) }
            if e == EINTR { continue }
            if e != EAGAIN { throw Errno.meansUnplugged(e) ? .unplugged(errno: e) : .io(operation: "write", errno: e) }
            let left = deadline - Monotonic.millis()
            guard left > 0 else { throw .writeTimeout }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let r = poll(&p, 1, Int32(clamping: left))
            if r < 0 && errno != EINTR { throw .io(operation: "poll", errno: errno) }
            if p.revents & Int16(POLLNVAL) != 0 { throw .unplugged(errno: EBADF) }
            if p.revents & Int16(POLLHUP | POLLERR) != 0 && p.revents & Int16(POLLOUT) == 0 { throw .unplugged(errno: EIO) }
        }
    }

    /// Reads one input report into `buffer` (a report longer than the buffer is cut, as the
    /// kernel does); 0 when none came within `timeoutMillis`.
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
            if hungUp { throw .unplugged(errno: EIO) }
            let left = deadline - Monotonic.millis()
            if left <= 0 { return 0 }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(clamping: left))
            if r < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "poll", errno: errno)
            }
            if r == 0 { return 0 }
            if p.revents & Int16(POLLNVAL) != 0 { throw .unplugged(errno: EBADF) }
            hungUp = p.revents & Int16(POLLHUP | POLLERR) != 0
        }
    }

    public func getFeature(reportID: UInt8, length: Int) throws(LinkError) -> [UInt8] {
        guard fd >= 0 else { throw .unplugged(errno: EBADF) }
        var report = [UInt8](repeating: 0, count: max(1, min(length, 4096)))
        report[0] = reportID
        let n = report.withUnsafeMutableBufferPointer { pg_hidraw_get_feature(fd, $0.baseAddress, UInt32($0.count)) }
        guard n >= 0 else {
            let e = errno
            throw Errno.meansUnplugged(e) ? .unplugged(errno: e) : .io(operation: "get feature report \(reportID)", errno: e)
        }
        return Array(report.prefix(Int(n)))
    }

    public func setFeature(_ report: [UInt8]) throws(LinkError) {
        guard fd >= 0 else { throw .unplugged(errno: EBADF) }
        guard !report.isEmpty else { return }
        var copy = report
        let n = copy.withUnsafeMutableBufferPointer { pg_hidraw_set_feature(fd, $0.baseAddress, UInt32($0.count)) }
        guard n >= 0 else {
            let e = errno
            throw Errno.meansUnplugged(e) ? .unplugged(errno: e) : .io(operation: "set feature report \(report[0])", errno: e)
        }
    }

    /// Drops queued input reports (at most 1024, so a device that never stops cannot hold
    /// the caller).
    public func discardInput() {
        guard fd >= 0 else { return }
        var scratch = [UInt8](repeating: 0, count: maximumReportLength)
        for _ in 0..<1024 {
            let n = scratch.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
        }
    }

    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}
