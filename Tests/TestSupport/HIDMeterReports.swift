import FrameParsing

/// Input reports as the public notes describe them, built independently of the decoders:
/// Contour Next (three header bytes, a length byte, at most 60 stream bytes) and the FreeStyle
/// shared HID protocol (type, length, at most 62 payload bytes), zero-padded to 64 bytes.
public enum HIDMeterReports {
    /// The Contour reports that carry `message` (one meter message: 60 bytes a report, the last
    /// one shorter; an empty message is one report of length 0).
    public static func contour(_ message: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        repeat {
            let end = min(message.count, start + 60)
            var r: [UInt8] = Array("ABC".utf8) + [UInt8(end - start)] + message[start..<end]
            r += [UInt8](repeating: 0, count: 64 - r.count)
            out.append(r)
            start = end
        } while start < message.count
        return out
    }

    /// The FreeStyle messages of type `type` that carry `text` (62 bytes a message).
    public static func freestyle(type: UInt8, _ payload: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        repeat {
            let end = min(payload.count, start + 62)
            var r: [UInt8] = [type, UInt8(end - start)] + payload[start..<end]
            r += [UInt8](repeating: 0, count: 64 - r.count)
            out.append(r)
            start = end
        } while start < payload.count
        return out
    }

    /// A text reply: `body`, `CKSM:` and the 8-digit sum of its bytes, `CMD OK` (or, with
    /// `failed`, an empty body and `CMD Fail!`).
    public static func textReply(_ body: String, failed: Bool = false) -> [UInt8] {
        if failed { return Array("CKSM:00000000\r\nCMD Fail!\r\n".utf8) }
        let sum = body.utf8.reduce(0) { $0 + Int($1) }
        return Array((body + "CKSM:" + hex8(sum) + "\r\nCMD OK\r\n").utf8)
    }

    /// A multi-record list: each record and CR LF, then `count,checksum` CR LF.
    public static func recordList(_ records: [String]) -> String {
        if records.isEmpty { return "Log Empty\r\n" }
        let body = records.map { $0 + "\r\n" }.joined()
        return body + "\(records.count)," + hex8(body.utf8.reduce(0) { $0 + Int($1) }) + "\r\n"
    }

    static func hex8(_ v: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
