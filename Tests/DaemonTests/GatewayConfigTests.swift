import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Testing
import Uplink

@Suite struct GatewayConfigTests {
    static let good = """
        store:
          path: /tmp/x.db
        profiles:
          paths: [/a, /b]
        uplink:
          url: https://center.example/fhir
          time_zone: Asia/Shanghai
          batch_size: 20
        log:
          level: warning
        """

    @Test func readsEveryKey() throws {
        let c = try GatewayConfig.parse(Self.good, file: "pocgate.yaml")
        #expect(c.storePath == "/tmp/x.db")
        #expect(c.profilePaths == ["/a", "/b"])
        #expect(c.uplinkURL == "https://center.example/fhir")
        #expect(c.batchSize == 20)
        #expect(c.logLevel == .warning)
        #expect(c.uplinkCAFile == nil)
    }

    @Test func unknownKeyNamesKeyAndFile() {
        #expect {
            _ = try GatewayConfig.parse(Self.good + "\n  retries: 3\n", file: "/etc/pocgate/pocgate.yaml")
        } throws: { error in
            let d = "\(error)"
            return d.hasPrefix("/etc/pocgate/pocgate.yaml:") && d.contains("unknown key 'log.retries'")
        }
    }

    @Test(arguments: [
        ("url: https://center.example/fhir", "url: http://center.example/fhir", "must start with https://"),
        ("url: https://center.example/fhir", "url: https://center.example/fhir\n  ca_file: /nonexistent/ca.pem", "does not exist"),
        ("time_zone: Asia/Shanghai", "time_zone: Mars/Olympus", "IANA"),
        ("batch_size: 20", "batch_size: 0", "whole number from 1"),
        ("level: warning", "level: loud", "must be one of"),
    ])
    func badValuesStopStartUp(original: String, replacement: String, expected: String) {
        let text = Self.good.replacingOccurrences(of: original, with: replacement)
        #expect {
            _ = try GatewayConfig.parse(text, file: "c.yaml")
        } throws: { error in
            "\(error)".contains(expected) && "\(error)".hasPrefix("c.yaml:")
        }
    }

    @Test func plainHTTPOnlyToLoopback() throws {
        for url in ["http://127.0.0.1:8080/fhir", "http://localhost/fhir", "http://[::1]:9/fhir"] {
            let text = Self.good.replacingOccurrences(of: "https://center.example/fhir", with: url)
            #expect(try GatewayConfig.parse(text, file: "c").uplinkURL == url)
        }
        let remote = Self.good.replacingOccurrences(of: "https://center.example/fhir", with: "http://10.0.0.5/fhir")
        #expect(throws: YAMLIssue.self) { try GatewayConfig.parse(remote, file: "c") }
    }

    @Test("extensions that point nowhere: uplink.canonical_base sets the base of every extension URL and identifier system")
    func canonicalBase() throws {
        #expect(try GatewayConfig.parse(Self.good, file: "c").uplinkSettings.canonical.base == "https://pocgate.invalid/fhir")
        let text = Self.good.replacingOccurrences(of: "time_zone: Asia/Shanghai",
                                                  with: "time_zone: Asia/Shanghai\n  canonical_base: https://fhir.center.example/pocgate/")
        let settings = try GatewayConfig.parse(text, file: "c").uplinkSettings
        #expect(settings.canonical.url(.ecgStatementStatus) == "https://fhir.center.example/pocgate/StructureDefinition/ecg-statement-status")
        #expect(settings.identifierSystem == "https://fhir.center.example/pocgate/identifier/reading-id")
        #expect(settings.deviceIdentifierSystem == "https://fhir.center.example/pocgate/identifier/device-serial")
        for bad in ["urn:pocgate:fhir", "https://fhir.center.example/a|b", "ftp://x/y"] {
            #expect {
                _ = try GatewayConfig.parse(Self.good.replacingOccurrences(of: "time_zone: Asia/Shanghai",
                                                                           with: "canonical_base: \"\(bad)\""), file: "c.yaml")
            } throws: { "\($0)".contains("uplink.canonical_base") }
        }
    }

    @Test func uplinkSectionIsRequired() {
        #expect(throws: YAMLIssue.self) { try GatewayConfig.parse("store:\n  path: /x\n", file: "c") }
    }
}

@Suite("Config: uplink.units")
struct GatewayConfigUnitsTests {
    static let base = "uplink:\n  url: https://center.example/fhir\n"

    @Test("glucose goes to a Chinese center in mmol/L unless configured otherwise")
    func defaultIsSI() throws {
        let c = try GatewayConfig.parse(Self.base, file: "pocgate.yaml")
        #expect(c.units.targets[.glucose] == "mmol/L")
        #expect(c.uplinkSettings.units == .chinaDefault)
    }

    @Test("'as-reported' keeps the device's unit; another unit for glucose is refused at start-up")
    func parsesChoices() throws {
        let c = try GatewayConfig.parse(Self.base + "  units:\n    glucose: as-reported\n    uric_acid: mg/dL\n", file: "pocgate.yaml")
        #expect(c.units.targets[.glucose] == nil)
        #expect(c.units.targets[.uricAcid] == "mg/dL")
        #expect(c.units.targets[.cholesterol] == "mmol/L")
        #expect {
            _ = try GatewayConfig.parse(Self.base + "  units:\n    glucose: umol/L\n", file: "pocgate.yaml")
        } throws: { "\($0)".contains("'uplink.units.glucose' must be one of mg/dL, mmol/L, as-reported") }
    }
}

@Suite("config: clock.*")
struct GatewayConfigClockTests {
    static let base = """
        uplink:
          url: https://center.example/fhir
        """

    @Test("defaults: earliest year 2010, future tolerance 24 h, skew tolerance 300 s")
    func defaults() throws {
        let c = try GatewayConfig.parse(Self.base, file: "c.yaml")
        #expect(c.clock.earliestYear == 2010 && c.clock.futureToleranceSeconds == 86_400 && c.clock.skewToleranceSeconds == 300)
    }

    @Test func readsEveryClockKey() throws {
        let c = try GatewayConfig.parse(Self.base + "\nclock:\n  earliest_year: 2015\n  future_tolerance_h: 2\n  skew_tolerance_s: 60\n",
                                        file: "c.yaml")
        #expect(c.clock.earliestYear == 2015 && c.clock.futureToleranceSeconds == 7200 && c.clock.skewToleranceSeconds == 60)
    }

    @Test(arguments: [
        ("earliest_year: 1800", "clock.earliest_year"),
        ("future_tolerance_h: -1", "clock.future_tolerance_h"),
        ("skew_tolerance_s: five", "clock.skew_tolerance_s"),
        ("skew_tolerance: 5", "unknown key 'clock.skew_tolerance'"),
    ])
    func badValuesNameFileLineAndKey(line: String, expected: String) {
        #expect {
            _ = try GatewayConfig.parse(Self.base + "\nclock:\n  " + line + "\n", file: "c.yaml")
        } throws: { error in
            "\(error)".hasPrefix("c.yaml:4:") && "\(error)".contains(expected)
        }
    }
}
