import Daemon
package import Emulators
import Glibc

/// One client connection of the demo receiver: reads HTTP/1.x requests with `Content-Length`
/// bodies and writes responses. Every wait is a poll() that the receiver's stop signal ends.
package struct HTTPConnection {
    /// Longest request line plus headers accepted.
    package static let maxHead = 64 * 1024
    /// Largest body accepted.
    package static let maxBody = 8 * 1024 * 1024
    /// How long a connection may sit idle, or stall mid-request, before it is closed.
    package static let idleTimeoutMilliseconds: Int32 = 30_000

    /// What reading the next request gave.
    package enum Event {
        /// A complete request.
        case request(ReceiverHTTPRequest)
        /// A request the receiver will not read: answer this, then close.
        case reject(ReceiverHTTPResponse)
        /// The client closed, went quiet, or the receiver is stopping.
        case closed
    }

    /// The socket, nonblocking.
    package let fd: Int32
    private let wake: WakePipe
    private var buffer: [UInt8] = []
    private var scanned = 0

    package init(fd: Int32, wake: WakePipe) {
        self.fd = fd
        self.wake = wake
    }

    /// Reads the next request, answering `Expect: 100-continue` on the way.
    package mutating func nextRequest() -> Event {
        var headEnd: Int
        while true {
            if let end = findHeadEnd() { headEnd = end; break }
            if buffer.count > Self.maxHead {
                return .reject(.outcome(status: 431, reason: "Request Header Fields Too Large", code: "too-long",
                                        "request headers exceed \(Self.maxHead) bytes", closeAfter: true))
            }
            guard fill() else { return .closed }
        }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        let bodyStart = headEnd + 4
        var request: ReceiverHTTPRequest
        switch Self.parseHead(head) {
        case .success(let parsed): request = parsed
        case .failure(let rejection): return .reject(rejection.response)
        }
        if request.header("Transfer-Encoding") != nil {
            return .reject(.outcome(status: 411, reason: "Length Required", code: "not-supported",
                                    "chunked or other transfer codings are not supported; send the body with Content-Length",
                                    closeAfter: true))
        }
        var length = 0
        if let text = request.header("Content-Length") {
            guard let value = Int(Substring(text).trimmingWhitespace()), value >= 0 else {
                return .reject(.outcome(status: 400, reason: "Bad Request", code: "structure",
                                        "Content-Length \"\(text)\" is not a byte count", closeAfter: true))
            }
            length = value
        } else if ["POST", "PUT", "PATCH"].contains(request.method) {
            return .reject(.outcome(status: 411, reason: "Length Required", code: "required",
                                    "\(request.method) needs a Content-Length header", closeAfter: true))
        }
        if length > Self.maxBody {
            return .reject(.outcome(status: 413, reason: "Content Too Large", code: "too-long",
                                    "body of \(length) bytes exceeds the demo receiver's \(Self.maxBody)-byte limit; send smaller Bundles",
                                    closeAfter: true))
        }
        if buffer.count - bodyStart < length, request.header("Expect")?.lowercased() == "100-continue" {
            guard send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return .closed }
        }
        while buffer.count - bodyStart < length {
            guard fill() else { return .closed }
        }
        request.body = Array(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        scanned = 0
        return .request(request)
    }

    /// Writes all of `bytes`; false when the client is gone or stalls past the idle timeout.
    package func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EINTR {
                guard waitFor(Int16(POLLOUT)) else { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// Half-closes, then discards what the client still sends for up to a second, so that it
    /// reads a rejection instead of a connection reset; then closes.
    package func lingeringClose() {
        shutdown(fd, Int32(SHUT_WR))
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        for _ in 0..<20 {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) >= 0 else { break }
            if p.revents == 0 { continue }
            if recv(fd, &chunk, chunk.count, 0) <= 0 { break }
        }
        close(fd)
    }

    // MARK: - Reading

    private mutating func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        var i = max(0, scanned - 3)
        while i + 3 < buffer.count {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { return i }
            i += 1
        }
        scanned = buffer.count
        return nil
    }

    /// Reads what is available; false on end of file, error, timeout or stop.
    private mutating func fill() -> Bool {
        guard waitFor(Int16(POLLIN)) else { return false }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        return count < 0 && (errno == EAGAIN || errno == EINTR)
    }

    /// Waits until the socket is ready for `events`; false on timeout, error or stop.
    private func waitFor(_ events: Int16) -> Bool {
        while true {
            var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Self.idleTimeoutMilliseconds)
            if ready < 0, errno == EINTR { continue }
            return ready > 0 && fds[1].revents == 0
        }
    }

    private static func parseHead(_ head: String) -> Result<ReceiverHTTPRequest, HTTPResponseRejection> {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(.bad("request line \"\(lines[0].prefix(200))\" is not METHOD TARGET HTTP/1.1"))
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .failure(HTTPResponseRejection(.outcome(status: 505, reason: "HTTP Version Not Supported", code: "not-supported",
                                                           "the demo receiver speaks HTTP/1.1 only", closeAfter: true)))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                return .failure(.bad("header line \"\(line.prefix(200))\" has no name: value form"))
            }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingWhitespace()))
        }
        return .success(ReceiverHTTPRequest(method: String(parts[0]), target: String(parts[1]), version: String(parts[2]),
                                    headers: headers, body: []))
    }
}

/// A response that ends a connection because its request could not be read.
package struct HTTPResponseRejection: Error {
    package var response: ReceiverHTTPResponse
    package init(_ response: ReceiverHTTPResponse) { self.response = response }

    package static func bad(_ message: String) -> HTTPResponseRejection {
        HTTPResponseRejection(.outcome(status: 400, reason: "Bad Request", code: "structure", message, closeAfter: true))
    }
}
