import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Foundation
import Testing
import Uplink

/// Careless and hostile configuration files: each refusal is one short line with the file,
/// line and column, and never repeats a password or megabytes of value.
@Suite("Config: limits and hostile values")
struct ConfigLimitsTests {
    static func config(url: String = "https://center.example/fhir", extra: String = "") -> String {
        "uplink:\n  url: \(url)\n" + extra
    }

    /// The refusal of `text`, which must be located (line and column) and short.
    static func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> YAMLIssue {
        let issue = try #require(throws: YAMLIssue.self, sourceLocation: sourceLocation) {
            _ = try GatewayConfig.parse(text, file: "/etc/pocgate/pocgate.yaml")
        }
        #expect(issue.description.count <= ConfigLimits.messageCharacters + 100, "\(issue.description.prefix(300))",
                sourceLocation: sourceLocation)
        #expect(!issue.description.contains("\r") && !issue.description.contains("\n"), sourceLocation: sourceLocation)
        return issue
    }

    @Test func F10_urlWithPasswordIsRefusedWithoutPrintingIt() throws {
        let issue = try Self.refusal(Self.config(url: "https://clinic7:S3cretPa55@center.example/fhir"))
        #expect(issue.line == 2 && issue.column > 0)
        #expect(issue.message.contains("user name or password"))
        #expect(!issue.description.contains("S3cretPa55") && !issue.description.contains("clinic7"))
        // The uplink's own check agrees and does not print it either.
        let url = "https://clinic7:S3cretPa55@center.example/fhir"
        #expect(UplinkSettings.urlProblem(url) != nil)
        #expect(UplinkSettings.redactedURL(url) == "https://***@center.example/fhir")
        let error = try #require(throws: UplinkError.self) { try UplinkSettings(url: url).validate() }
        #expect(!error.description.contains("S3cretPa55"))
    }

    @Test func F15_uplinkURLWithCRLFIsRefused() throws {
        let issue = try Self.refusal(Self.config(url: "\"https://center.example/fhir\\r\\nX-Injected: 1\""))
        #expect(issue.line == 2 && issue.column > 0)
        #expect(issue.message.contains("control character"))
    }

    @Test func F16_storePathWithEscapedNULIsRefused() throws {
        let issue = try Self.refusal(Self.config(extra: "store:\n  path: \"/var/lib/pocgate/pocgate.db\\0.old\"\n"))
        #expect(issue.line == 4 && issue.message.contains("control character (U+0000)"))
        #expect(issue.message.contains("\\0"))
    }

    @Test func F17_fiveMegabyteGatewayIDIsOneShortLine() throws {
        let id = String(repeating: "A", count: 5 << 20)
        let issue = try Self.refusal(Self.config(extra: "gateway:\n  id: \(id)\n"))
        #expect(issue.message.contains("\(ConfigLimits.fileBytes)"))
        // Within the file limit, a long value is cut in the message.
        let long = try Self.refusal(Self.config(extra: "gateway:\n  id: \(String(repeating: "B", count: 30_000))\n"))
        #expect(long.line == 4 && long.message.contains("… (30000 bytes)"))
    }

    @Test func F17_quarterMillionProfilePathsAreOneShortLine() throws {
        let many = "profiles:\n  paths:\n" + String(repeating: "    - /p\n", count: 250_000)
        _ = try Self.refusal(Self.config(extra: many))
        let tooMany = "profiles:\n  paths: [" + Array(repeating: "/p", count: ConfigLimits.profilePaths + 1).joined(separator: ", ") + "]\n"
        let issue = try Self.refusal(Self.config(extra: tooMany))
        #expect(issue.line == 4 && issue.message.contains("the most accepted is \(ConfigLimits.profilePaths)"))
        let fine = "profiles:\n  paths: [" + Array(repeating: "/p", count: ConfigLimits.profilePaths).joined(separator: ", ") + "]\n"
        #expect(try GatewayConfig.parse(Self.config(extra: fine), file: "c").profilePaths.count == ConfigLimits.profilePaths)
    }

    @Test func F18_loopbackLookalikeHostIsRefusedWithItsPlace() throws {
        let issue = try Self.refusal(Self.config(url: "http://127.0.0.1.nip.io/fhir"))
        #expect(issue.description.hasPrefix("/etc/pocgate/pocgate.yaml:2:"))
        #expect(issue.message.contains("must start with https://"))
        for url in ["http://127.0.0.1:8080/fhir", "http://127.8.9.10/fhir", "http://[::1]/fhir", "http://localhost/fhir"] {
            #expect(try GatewayConfig.parse(Self.config(url: url), file: "c").uplinkURL == url)
        }
    }

    @Test func sixtyThousandNestedListsAreRefusedNotACrash() throws {
        let flow = try Self.refusal(Self.config(extra: "x: " + String(repeating: "[", count: 60_000) + "\n"))
        #expect(flow.line == 3 && flow.message.contains("'[' or '{'"))
        let block = try Self.refusal(Self.config(extra: "x:\n" + String(repeating: "- ", count: 20_000) + "a\n"))
        #expect(block.line == 4 && block.message.contains("indentation"))
        let deepIndent = try Self.refusal(Self.config(extra: String(repeating: " ", count: 100) + "y: 1\n"))
        #expect(deepIndent.line == 3)
    }

    @Test func aValueWithAnEscapeIsShownEscapedAndCut() throws {
        let issue = try Self.refusal(Self.config(extra: "log:\n  level: \"\\e[31m" + String(repeating: "x", count: 500) + "\"\n"))
        #expect(!issue.description.contains("\u{1B}") && issue.message.contains("\\u{1B}"))
        #expect(issue.message.contains("… (505 bytes)"))
    }

    @Test func theConfigurationFileIsReadWithinItsLimit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-cfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = dir + "/big.yaml"
        try Data(count: ConfigLimits.fileBytes + 1).write(to: URL(fileURLWithPath: big))
        let issue = try #require(throws: YAMLIssue.self) { _ = try GatewayConfig.load(file: big) }
        #expect(issue.message.contains("\(ConfigLimits.fileBytes + 1) bytes"))
        #expect(throws: YAMLIssue.self) { _ = try GatewayConfig.load(file: "/dev/zero") }
        #expect(throws: YAMLIssue.self) { _ = try GatewayConfig.load(file: dir) }
    }

    @Test func retryAfterMaximumDefaultsToAnHourAndIsConfigurable() throws {
        #expect(try GatewayConfig.parse(Self.config(), file: "c").uplinkSettings.retryAfterMaxSeconds == 3600)
        let set = Self.config().replacingOccurrences(of: "fhir\n", with: "fhir\n  retry_after_max_s: 600\n")
        #expect(try GatewayConfig.parse(set, file: "c").uplinkSettings.retryAfterMaxSeconds == 600)
        let bad = Self.config().replacingOccurrences(of: "fhir\n", with: "fhir\n  retry_after_max_s: 0\n")
        #expect(throws: YAMLIssue.self) { try GatewayConfig.parse(bad, file: "c") }
    }
}
