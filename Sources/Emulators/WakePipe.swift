import Glibc

/// A self-pipe that wakes background threads blocked in poll(): once signalled, its read end
/// stays readable, so every thread polling it sees the stop at once.
package struct WakePipe: Sendable {
    /// Poll this for POLLIN.
    package let readFD: Int32
    private let writeFD: Int32

    /// Opens the pipe, nonblocking and close-on-exec, or says which call failed.
    package static func open() -> Result<WakePipe, SystemCallFailure> {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return .failure(SystemCallFailure(call: "pipe", errno: errno)) }
        for fd in fds {
            let flags = fcntl(fd, F_GETFL)
            guard fcntl(fd, F_SETFD, FD_CLOEXEC) == 0, flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
                let code = errno
                Glibc.close(fds[0])
                Glibc.close(fds[1])
                return .failure(SystemCallFailure(call: "fcntl", errno: code))
            }
        }
        return .success(WakePipe(readFD: fds[0], writeFD: fds[1]))
    }

    /// Makes `readFD` readable for good.
    package func signal() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Whether `signal()` has been called.
    package var isSignalled: Bool {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0
    }

    /// Sleeps up to `milliseconds`, returning early (true) when signalled.
    @discardableResult
    package func wait(milliseconds: Int32) -> Bool {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, milliseconds) > 0
    }

    package func close() {
        Glibc.close(readFD)
        Glibc.close(writeFD)
    }
}

/// A failed system call and its errno.
package struct SystemCallFailure: Error, Sendable {
    package var call: String
    package var errno: Int32
}
