import Demo
import Emulators
import Daemon
import Glibc

/// The host's end of an emulated meter: the PTY slave opened as a serial port would be.
struct SlaveLine: ~Copyable {
    let fd: Int32

    init(path: String) throws(SlaveLineError) {
        fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw SlaveLineError(message: "open \(path): errno \(errno)") }
    }

    deinit { close(fd) }

    /// Writes all bytes.
    func write(_ bytes: [UInt8]) throws(SlaveLineError) {
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw SlaveLineError(message: "write returned \(written), errno \(errno)") }
    }

    /// Reads exactly `count` bytes, or returns what arrived when `timeoutMilliseconds` pass first.
    func read(_ count: Int, timeoutMilliseconds: Int32 = 2000) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64)
        while out.count < count {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, timeoutMilliseconds) > 0 else { break }
            let n = Glibc.read(fd, &chunk, min(chunk.count, count - out.count))
            guard n > 0 else { break }
            out += chunk[0..<n]
        }
        return out
    }

    /// Sends a frame and reads the 8-byte reply.
    func exchange(_ frame: [UInt8]) throws(SlaveLineError) -> [UInt8] {
        try write(frame)
        return read(8)
    }
}

struct SlaveLineError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Builds a host→meter frame with its checksum.
func hostFrame(_ command: UInt8, _ payload: [UInt8] = [0, 0, 0, 0]) -> [UInt8] {
    let body: [UInt8] = [0x51, command] + payload + [0xA3]
    return body + [body.reduce(0, &+)]
}

/// Whether `reply` is a well-formed meter→host frame for `command`.
func isReply(_ reply: [UInt8], to command: UInt8) -> Bool {
    reply.count == 8 && reply[0] == 0x51 && reply[1] == command && reply[6] == 0xA5
        && reply[0..<7].reduce(0, &+) == reply[7]
}
