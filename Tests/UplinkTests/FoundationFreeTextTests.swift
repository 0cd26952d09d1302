import Foundation
import PocGateCore
import Testing
@testable import Uplink

/// The texts the binary now reads and writes without full Foundation, against full
/// Foundation itself (JSONSerialization, DateFormatter, ISO8601DateFormatter, String(format:)),
/// which the tests may still use: the same outputs for the same inputs.
@Suite struct FoundationFreeTextTests {
    nonisolated(unsafe) static let objects: [[String: Any]] = [
        ["pending": 3, "delivered": 120, "lastError": "HTTP 503 from https://center.example/fhir (retry in 30 s)",
         "batchInFlight": ["sequence": 7, "attempts": 2, "nextAttemptAtMillis": 1_718_412_000_000 as Int64]],
        ["resourceType": "OperationOutcome", "issue": [["severity": "error", "code": "invalid",
                                                        "diagnostics": "quote \" backslash \\ slash / tab \t newline \n bell \u{07} 中文 é"]]],
        ["empty": [String: Any](), "list": [Any](), "flag": true, "off": false, "negative": -42],
    ]

    @Test func theWriterWritesWhatJSONSerializationWrote() throws {
        for object in Self.objects {
            for (escaping, options) in [(true, JSONSerialization.WritingOptions.sortedKeys),
                                        (false, [.sortedKeys, .withoutEscapingSlashes])] {
                let expected = String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
                #expect(JSONWriter.text(object, escapingSlashes: escaping) == expected)
            }
        }
    }

    @Test func theReaderReadsWhatJSONSerializationReads() throws {
        for object in Self.objects {
            let text = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            let mine = try #require(JSONReader.parse(text))
            // Written back, both readings are the same document.
            #expect(JSONWriter.text(mine) == JSONWriter.text(object))
        }
        let numbers = try #require(JSONReader.parse(Array(#"[0, -7, 120, 6.2, 1e3, -0.5, 9223372036854775807, 99999999999999999999]"#.utf8)) as? [Any])
        #expect(numbers[2] as? Int == 120)
        #expect((numbers[3] as? JSONNumberText)?.text == "6.2", "a decimal is kept exactly, never through a binary float")
        #expect((numbers[7] as? JSONNumberText)?.text == "99999999999999999999")
        let unicode = try #require(JSONReader.parse(Array(#""\u4e2d\u6587 \ud83d\ude00 \/""#.utf8)) as? String)
        #expect(unicode == "中文 😀 /")
    }

    /// RFC 8259's grammar: what it does not allow is refused. Foundation refuses the same
    /// texts except a trailing comma in an array or object, which it lets through.
    @Test func whatRFC8259DoesNotAllowTheReaderRefuses() {
        let lenient: Set<String> = ["[1,]", "{\"a\":1,}"]
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", ".5", "\"\u{01}\"", "\"\\x\"", "\"\\ud83d\"", "tru", "[1] 2", "{\"a\":1,}", "nul"] {
            let foundation = (try? JSONSerialization.jsonObject(with: Data(bad.utf8), options: [.fragmentsAllowed])) != nil
            #expect(JSONReader.parse(Array(bad.utf8)) == nil, "\(bad.debugDescription)")
            #expect(foundation == lenient.contains(bad), "\(bad.debugDescription)")
        }
    }

    @Test func deepOrHugeInputIsBoundedAndLinear() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        #expect(JSONReader.parse(deep) == nil, "nesting past maximumDepth is refused, not recursed into")
        let long = [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "a"), count: 4 << 20) + [UInt8(ascii: "\"")]
        #expect((JSONReader.parse(long) as? String)?.utf8.count == 4 << 20)
    }

    @Test func httpDatesReadAsFoundationReadThem() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for (text, format) in [("Sun, 06 Nov 1994 08:49:37 GMT", "EEE, dd MMM yyyy HH:mm:ss zzz"),
                               ("Sat, 15 Jun 2024 00:31:40 GMT", "EEE, dd MMM yyyy HH:mm:ss zzz"),
                               ("Sunday, 06-Nov-94 08:49:37 GMT", "EEEE, dd-MMM-yy HH:mm:ss zzz"),
                               ("Sun Nov  6 08:49:37 1994", "EEE MMM d HH:mm:ss yyyy")] {
            formatter.dateFormat = format
            let expected = try #require(formatter.date(from: text))
            #expect(RetryAfter.httpDate(text, nowYear: 2026) == Int64(expected.timeIntervalSince1970), "\(text)")
        }
        for bad in ["", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "tomorrow"] {
            #expect(RetryAfter.httpDate(bad) == nil, "\(bad)")
        }
    }

    @Test func iso8601InstantsAsFoundationWroteAndReadThem() {
        let writer = ISO8601DateFormatter()
        for millis: Int64 in [0, 1_718_412_000_000, 1_718_412_000_999, 4_102_444_799_000, -1000] {
            #expect(ISO8601Instant.text(millis: millis) == writer.string(from: Date(timeIntervalSince1970: Double(millis / 1000) - (millis % 1000 < 0 ? 1 : 0))))
        }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in ["2024-06-15T00:30:05Z", "2024-06-15T08:30:05+08:00", "2024-06-14T20:30:05-03:30"] {
            #expect(ISO8601Instant.millis(text) == Int64(writer.date(from: text)!.timeIntervalSince1970 * 1000))
        }
        #expect(ISO8601Instant.millis("2024-06-15T00:30:05.250Z") == Int64((fractional.date(from: "2024-06-15T00:30:05.250Z")!.timeIntervalSince1970 * 1000).rounded()))
        for bad in ["2024-06-15", "2024-02-30T00:00:00Z", "2024-06-15T00:30:05", "2024-06-15T00:30:05+8:00", "x"] {
            #expect(ISO8601Instant.millis(bad) == nil, "\(bad)")
        }
    }

    @Test func printfFormsAsFoundationWroteThem() {
        #expect(NumberText.printf("%02X", UInt8(0x0A)) == String(format: "%02X", 0x0A))
        #expect(NumberText.printf("%04X", UInt32(0x1F)) == String(format: "%04X", 0x1F))
        #expect(NumberText.printf("BENCH%011d", 7) == String(format: "BENCH%011d", 7))
        #expect(NumberText.printf("2024-06-%02d T%02d:%02d #%d", 3, 4, 5, 678) == String(format: "2024-06-%02d T%02d:%02d #%d", 3, 4, 5, 678))
        for v in [0.0, 0.04, 0.05, 0.15, 1.25, 2.5, 1234.5678, -3.14159, 99.95] {
            for places in [0, 1, 2] {
                let mine = NumberText.fixed(v, places: places)
                let theirs = String(format: "%.\(places)f", v)
                // printf rounds the binary value half to even; both agree except on exact ties.
                #expect(mine == theirs || abs(Double(mine)! - Double(theirs)!) <= pow(10, -Double(places)) + 1e-12, "\(v) \(places): \(mine) vs \(theirs)")
            }
        }
        #expect(NumberText.printf("%.1f bytes per reading, %d%%", 12.34, 5) == "12.3 bytes per reading, 5%")
    }

    @Test func pathTextAsNSStringDidIt() {
        for path in ["/var/lib/pocgate/pocgate.db", "pocgate.db", "/pocgate.db", "/var/lib/pocgate/", "a/b", "/", "", "//x//y"] {
            #expect(PathText.directory(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
            #expect(PathText.lastComponent(of: path) == (path as NSString).lastPathComponent, "\(path)")
        }
    }
}
