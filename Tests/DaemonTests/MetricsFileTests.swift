@testable import Daemon
import Foundation
import Store
import TestSupport
import Testing
import Uplink

/// The metrics file (`metrics.textfile`): parsed by prometheus_client (PyPI) in both formats,
/// named by the conventions, its values those of a known store, written atomically without
/// following links.
@Suite("Metrics file")
struct MetricsFileTests {
    /// Parses a metrics text with prometheus_client and prints one JSON object per family:
    /// name, type and samples [name, labels, value].
    static let parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families as prometheus
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
        parse = openmetrics if sys.argv[1] == "openmetrics" else prometheus
        text = open(sys.argv[2], encoding="utf-8").read()
        out = [{"name": f.name, "type": f.type, "samples": [[s.name, s.labels, s.value] for s in f.samples]} for f in parse(text)]
        print(json.dumps(out))
        """

    static func uploads() -> UploadMetrics {
        let u = UploadMetrics()
        u.record(.delivered(count: 3), duration: .milliseconds(300))
        u.record(.deferred(count: 2, failure: .httpStatus(503, detail: ""), nextAttemptAtMillis: 0), duration: .seconds(2))
        u.record(.deferred(count: 2, failure: .httpStatus(429, detail: ""), nextAttemptAtMillis: 0), duration: .milliseconds(50))
        u.record(.idle, duration: nil)
        u.recordHeartbeat(sent: true)
        return u
    }

    static func parsed(_ text: String, format: MetricsText.Format, directory: String) throws -> [[String: Any]] {
        let path = directory + "/pocgate.prom"
        try MetricsFile(path: path).write(text)
        let result = try PythonCheck.run(script: parser, arguments: [format.rawValue, path])
        try #require(result.status == 0, "prometheus_client refused the \(format) file: \(result.output)\n\(text)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    }

    /// The value of the sample `name` with exactly `labels`.
    static func value(_ families: [[String: Any]], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for family in families {
            for case let sample as [Any] in family["samples"] as? [Any] ?? []
            where sample[0] as? String == name && sample[1] as? [String: String] == labels {
                return (sample[2] as? NSNumber)?.doubleValue
            }
        }
        return nil
    }

    @Test("metrics node_exporter cannot read or that lie: both formats parse with prometheus_client, typed, named by the conventions, with the store's values",
          arguments: MetricsText.Format.allCases)
    func parsesWithTheStoreValues(format: MetricsText.Format) throws {
        try #require(PythonCheck.has("prometheus_client"), "pip install prometheus_client for /usr/bin/python3")
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        let report = try fixture.store.fleetReport()
        let text = MetricsText.render(report: report, uploads: Self.uploads().snapshot, gatewayID: "gw-test", version: "0.1.0",
                                      startedAtMillis: 1_718_411_400_000, format: format)
        let families = try Self.parsed(text, format: format, directory: fixture.directory)
        for family in families {
            let name = family["name"] as? String ?? ""
            let type = family["type"] as? String ?? ""
            #expect(name.hasPrefix("pocgate_"))
            #expect(["gauge", "counter", "histogram"].contains(type), "\(name) parsed as \(type): node_exporter would lose its type")
            if type == "counter" {
                let samples = (family["samples"] as? [[Any]] ?? []).compactMap { $0[0] as? String }
                #expect(samples.allSatisfy { $0.hasSuffix("_total") }, "\(name): \(samples)")
            }
        }
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE") {
            let name = line.split(separator: " ")[2]
            #expect(!name.contains("_ms") && !name.contains("_millis") && !name.contains("_mb"), "not in base units: \(line)")
        }
        #expect(Self.value(families, "pocgate_queue_readings") == 1)
        #expect(Self.value(families, "pocgate_held_readings") == 1 && Self.value(families, "pocgate_dead_letters") == 1)
        #expect(Self.value(families, "pocgate_queue_oldest_pending_timestamp_seconds") == 1_718_409_660)
        #expect(Self.value(families, "pocgate_last_upload_timestamp_seconds") == 1_718_409_960)
        #expect(Self.value(families, "pocgate_store_used_bytes") == Double(report.usedBytes))
        #expect(Self.value(families, "pocgate_store_limit_bytes") == Double(16 * 1_048_576))
        for state in ["pending", "uploaded", "held", "dead"] {
            #expect(Self.value(families, "pocgate_store_readings", ["state": state, "kind": "glucose", "profile": "taidoc-td4277"]) == 1,
                    "\(state)")
        }
        #expect(Self.value(families, "pocgate_store_sessions", ["outcome": "complete"]) == 1)
        #expect(Self.value(families, "pocgate_store_sessions", ["outcome": "open"]) == 1)
        #expect(Self.value(families, "pocgate_device_last_reading_timestamp_seconds", ["device": "METER-A", "profile": "taidoc-td4277"]) == 1_718_409_840)
        #expect(Self.value(families, "pocgate_device_clock_offset_seconds", ["device": "METER-A", "profile": "taidoc-td4277"])
                == Double(fixture.heldOffset))
        #expect(Self.value(families, "pocgate_upload_attempts_total", ["result": "delivered"]) == 1)
        #expect(Self.value(families, "pocgate_upload_attempts_total", ["result": "deferred"]) == 2)
        #expect(Self.value(families, "pocgate_upload_failures_total", ["class": "server"]) == 1)
        #expect(Self.value(families, "pocgate_upload_failures_total", ["class": "throttled"]) == 1)
        #expect(Self.value(families, "pocgate_upload_failures_total", ["class": "tls"]) == 0)
        #expect(Self.value(families, "pocgate_uploaded_readings_total") == 3)
        #expect(Self.value(families, "pocgate_upload_duration_seconds_bucket", ["le": "0.1"]) == 1)
        #expect(Self.value(families, "pocgate_upload_duration_seconds_bucket", ["le": "0.5"]) == 2)
        #expect(Self.value(families, "pocgate_upload_duration_seconds_bucket", ["le": "+Inf"]) == 3)
        #expect(Self.value(families, "pocgate_upload_duration_seconds_count") == 3)
        #expect(abs((Self.value(families, "pocgate_upload_duration_seconds_sum") ?? 0) - 2.35) < 1e-9)
        #expect(Self.value(families, "pocgate_heartbeats_total", ["result": "sent"]) == 1)
        #expect(Self.value(families, "pocgate_info", ["gateway": "gw-test", "version": "0.1.0"]) == 1)
    }

    @Test("a device's serial breaking the file: quotes, backslashes and line breaks in a label are escaped and the file still parses")
    func hostileLabelsEscaped() throws {
        try #require(PythonCheck.has("prometheus_client"), "pip install prometheus_client for /usr/bin/python3")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-metrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let serial = "A\"B\\C\nD\u{07}E" + String(repeating: "x", count: 500)
        let report = FleetReport(pending: 0, oldestPendingReceivedAtMillis: nil, lastDeliveredAtMillis: nil, held: 0, deadLetters: 0,
                                 usedBytes: 1, limitBytes: nil, endedSessions: 0,
                                 devices: [FleetDevice(serial: serial, model: "", profileID: "p", lastSessionStartedAtMillis: 1_500,
                                                       lastSessionOutcome: nil, lastReadingReceivedAtMillis: 2_000, clockOffsetSeconds: nil)],
                                 readingCounts: [], sessionOutcomes: [:])
        for format in MetricsText.Format.allCases {
            let text = MetricsText.render(report: report, uploads: UploadMetrics().snapshot, gatewayID: "gw", version: "v",
                                          startedAtMillis: 0, format: format)
            let families = try Self.parsed(text, format: format, directory: directory)
            let family = try #require(families.first { $0["name"] as? String == "pocgate_device_last_reading_timestamp_seconds" })
            let sample = try #require((family["samples"] as? [[Any]])?.first)
            let device = (sample[1] as? [String: String])?["device"] ?? ""
            #expect(device.hasPrefix("A\"B\\C\nD E") && device.utf8.count <= MetricsText.maximumLabelBytes)
            #expect((sample[2] as? NSNumber)?.doubleValue == 2)
        }
    }

    @Test("a planted link makes the daemon overwrite another file: the metrics file is written through a temporary file, never a link, mode 0644")
    func atomicNoLinks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-metrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/pocgate.prom"
        let file = MetricsFile(path: path)
        try file.write("a 1\n")
        var st = stat()
        #expect(lstat(path, &st) == 0 && st.st_mode & 0o777 == 0o644 && st.st_mode & S_IFMT == S_IFREG)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        let victim = directory + "/victim"
        try "keep\n".write(toFile: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path + ".tmp", withDestinationPath: victim)
        #expect(throws: MetricsFileError.self) { try file.write("a 2\n") }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a 1\n", "the last good file stays")
    }
}
