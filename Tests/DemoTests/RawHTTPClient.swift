import Demo
import Emulators
import Daemon
import Glibc

/// A bare HTTP/1.1 client on one TCP connection, to see exactly what the receiver does with
/// keep-alive and malformed requests.
struct RawHTTPClient: ~Copyable {
    /// One response as read off the wire.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws(RawHTTPError) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, rc == 0 else { throw RawHTTPError(message: "connect 127.0.0.1:\(port): errno \(errno)") }
    }

    deinit { close(fd) }

    /// Sends raw bytes.
    func send(_ text: String) throws(RawHTTPError) {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw RawHTTPError(message: "send: errno \(errno)") }
    }

    /// A POST with a Content-Length body.
    func post(_ body: String, path: String = "/fhir", extraHeaders: String = "") throws(RawHTTPError) {
        try send("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\n"
                 + "Content-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)")
    }

    /// Reads one response (Content-Length framed), or throws after 5 s or at end of stream.
    mutating func response() throws(RawHTTPError) -> Response {
        while true {
            if let end = headEnd() {
                let head = String(decoding: pending[0..<end], as: UTF8.self).split(separator: "\r\n")
                let status = Int(head[0].split(separator: " ")[1]) ?? 0
                var headers: [String: String] = [:]
                for line in head.dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    headers[parts[0].lowercased()] = parts.count > 1 ? parts[1].trimmingPrefix(" ").description : ""
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if pending.count >= end + 4 + length {
                    let body = Array(pending[end + 4..<end + 4 + length])
                    pending.removeFirst(end + 4 + length)
                    if status == 100 { continue }
                    return Response(status: status, headers: headers, body: body)
                }
            }
            try fill()
        }
    }

    /// Whether the server has closed its side (reads end of stream within 2 s).
    func serverClosed() -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 2000) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) <= 0
    }

    private func headEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for i in 0...(pending.count - 4) where pending[i] == 13 && pending[i + 1] == 10 && pending[i + 2] == 13 && pending[i + 3] == 10 {
            return i
        }
        return nil
    }

    private mutating func fill() throws(RawHTTPError) {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 5000) > 0 else { throw RawHTTPError(message: "no response within 5 s") }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = recv(fd, &chunk, chunk.count, 0)
        guard n > 0 else { throw RawHTTPError(message: "connection closed before a full response") }
        pending += chunk[0..<n]
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
