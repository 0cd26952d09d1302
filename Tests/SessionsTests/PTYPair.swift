import Sessions
import Transports
import Daemon
import Tools
import Emulators
import Glibc

/// A pseudo-terminal for tests: the slave is the "device node" the code under test opens,
/// the master plays the device.
final class PTYPair {
    let master: Int32
    let slavePath: String
    private var slaveKeepAlive: Int32

    init() throws {
        var m: Int32 = -1
        var s: Int32 = -1
        guard openpty(&m, &s, nil, nil, nil) == 0 else { throw PTYError.openpty(errno) }
        master = m
        slaveKeepAlive = s
        // ttyname_r, not ttyname: tests run in parallel, and ttyname's static buffer lets one
        // test read another's path (two tests on one line, or an empty path).
        var name = [CChar](repeating: 0, count: 128)
        let rc = ttyname_r(s, &name, name.count)
        guard rc == 0 else {
            close(m)
            close(s)
            throw PTYError.openpty(rc)
        }
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var t = termios()
        tcgetattr(m, &t)
        cfmakeraw(&t)
        tcsetattr(m, TCSANOW, &t)
        let flags = fcntl(m, F_GETFL)
        _ = fcntl(m, F_SETFL, flags | O_NONBLOCK)
    }

    /// Lets the master see EOF/EIO once the code under test closes the slave.
    func releaseSlave() {
        if slaveKeepAlive >= 0 { close(slaveKeepAlive); slaveKeepAlive = -1 }
    }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
    }

    /// Reads whatever the master receives within `millis`.
    func read(waitingMillis millis: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, millis) > 0 {
            var buf = [UInt8](repeating: 0, count: 256)
            let n = buf.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    private var masterOpen = true

    /// Closes the master once: a second `close` of the same number could close another
    /// test's descriptor that reused it, and unplug that test's line.
    func closeMaster() {
        if masterOpen { close(master); masterOpen = false }
    }

    deinit {
        releaseSlave()
        closeMaster()
    }
}

enum PTYError: Error { case openpty(Int32) }
