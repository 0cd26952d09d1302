import Services
import Daemon
import Emulators
import FoundationEssentials
import Glibc
import Uplink

/// The benchmark's receiver: plain HTTP/1.1 on 127.0.0.1, one keep-alive connection at a time,
/// as little work per request as an honest conditional-create server can do. It gunzips the
/// body, finds each entry's `ifNoneExist` by a byte scan (no JSON tree), answers `201 Created`
/// for a key it has not seen and `200 OK` for one it has, in a transaction-response with one
/// entry per request entry. Not a FHIR validator: the point is to measure pocgate, not the sink.
package final class LoopbackSink: @unchecked Sendable {
    package let port: Int
    private let listener: Int32
    private var seen = Set<[UInt8]>()
    /// Observations created (first sight of their identifier) and repeated.
    private(set) var created = 0
    private(set) var repeated = 0
    private var thread: ServiceThread?

    package init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        thread = ServiceThread(name: "bench-sink") { [self] in acceptLoop() }
    }

    /// Stops accepting (the connection in use ends when the client closes it).
    package func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        thread?.join()
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            serve(connection)
            close(connection)
        }
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            // Headers.
            var headerEnd: Int?
            while headerEnd == nil {
                if let end = Self.find([13, 10, 13, 10], in: buffer, from: 0) {
                    headerEnd = end
                    break
                }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self).lowercased()
            var length = 0
            var gzip = false
            for line in head.split(separator: "\r\n") {
                if line.hasPrefix("content-length:") { length = Int(line.dropFirst(15).trimmingWhitespace()) ?? 0 }
                if line.hasPrefix("content-encoding:") { gzip = line.contains("gzip") }
            }
            let bodyStart = headerEnd! + 4
            while buffer.count < bodyStart + length {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            var body = Array(buffer[bodyStart..<bodyStart + length])
            buffer.removeSubrange(0..<bodyStart + length)
            if gzip { body = (try? Gzip.decompress(body)) ?? [] }
            let answer = respond(to: body)
            var response = Array("HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: \(answer.count)\r\n\r\n".utf8)
            response += answer
            var sent = 0
            while sent < response.count {
                let n = response[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                sent += n
            }
        }
    }

    private static let marker = Array(#""ifNoneExist":""#.utf8)
    private static let readingSystem = Array("reading-id".utf8)

    private func respond(to body: [UInt8]) -> [UInt8] {
        var out = Array(#"{"resourceType":"Bundle","type":"transaction-response","entry":["#.utf8)
        var position = 0
        var first = true
        while let start = Self.find(Self.marker, in: body, from: position) {
            let valueStart = start + Self.marker.count
            var end = valueStart
            while end < body.count && body[end] != UInt8(ascii: "\"") { end += 1 }
            let key = Array(body[valueStart..<end])
            let isNew = seen.insert(key).inserted
            if Self.find(Self.readingSystem, in: key, from: 0) != nil {
                if isNew { created += 1 } else { repeated += 1 }
            }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += Array((isNew ? #"{"response":{"status":"201 Created"}}"# : #"{"response":{"status":"200 OK"}}"#).utf8)
            position = end
        }
        out += Array("]}".utf8)
        return out
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
