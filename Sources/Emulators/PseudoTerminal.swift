import Glibc

/// A pseudo-terminal pair opened raw, as the emulated meter's end of a serial line.
///
/// The master is what the meter reads and writes; the slave path is what a host opens as if
/// it were `/dev/ttyUSB0`. The emulator keeps one slave descriptor open itself, so the master
/// never sees the "no slave open" hang-up (EIO, POLLHUP) while a host closes and reopens the
/// port, and the raw line settings persist between opens.
package struct PseudoTerminal: Sendable {
    /// Master side, nonblocking, close-on-exec.
    package let master: Int32
    /// The emulator's own slave descriptor (never read), close-on-exec.
    package let slave: Int32
    /// The slave's device path, e.g. `/dev/pts/3`.
    package let slavePath: String

    /// Opens a pair, raw at 19200 baud on both sides.
    package static func open() throws(EmulatorError) -> PseudoTerminal {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw .system(call: "openpty", errno: errno) }
        do throws(EmulatorError) {
            let path = try slaveName(slave)
            for fd in [master, slave] {
                try makeRaw(fd)
                guard fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else { throw .system(call: "fcntl(F_SETFD)", errno: errno) }
            }
            let flags = fcntl(master, F_GETFL)
            guard flags >= 0, fcntl(master, F_SETFL, flags | O_NONBLOCK) == 0 else {
                throw .system(call: "fcntl(O_NONBLOCK)", errno: errno)
            }
            return PseudoTerminal(master: master, slave: slave, slavePath: path)
        } catch {
            Glibc.close(master)
            Glibc.close(slave)
            throw error
        }
    }

    /// Closes both descriptors; a host holding the slave then reads end of file or EIO.
    /// Writes `bytes` to the master (what the emulated device sends), waiting at most half a
    /// second for room on the line; false when they could not all be written.
    package func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        var waited: Int32 = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EINTR, waited < 500 {
                var p = pollfd(fd: master, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, 50)
                waited += 50
            } else {
                return false
            }
        }
        return true
    }

    package func close() {
        Glibc.close(slave)
        Glibc.close(master)
    }

    private static func slaveName(_ fd: Int32) throws(EmulatorError) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let rc = ttyname_r(fd, &buffer, buffer.count)
        guard rc == 0 else { throw .system(call: "ttyname_r", errno: rc) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// cfmakeraw plus 19200 baud, 8 data bits, receiver on, modem lines ignored.
    private static func makeRaw(_ fd: Int32) throws(EmulatorError) {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { throw .system(call: "tcgetattr", errno: errno) }
        cfmakeraw(&t)
        t.c_cflag |= tcflag_t(CLOCAL | CREAD)
        _ = cfsetispeed(&t, speed_t(B19200))
        _ = cfsetospeed(&t, speed_t(B19200))
        guard tcsetattr(fd, TCSANOW, &t) == 0 else { throw .system(call: "tcsetattr", errno: errno) }
    }
}
