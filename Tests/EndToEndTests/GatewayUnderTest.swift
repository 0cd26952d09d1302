import Daemon
import Tools
import Sessions
import Foundation
import Store
import Testing
import TestSupport

/// The real `pocgate run` binary, configured against a real HTTPS receiver on 127.0.0.1,
/// to be started inside a umockdev testbed by the harness.
struct GatewayUnderTest {
    let directory: String
    let configPath: String
    let storePath: String
    let command: [String]

    /// - Parameters:
    ///   - site: a name the store's directory and the uplink URL's last path segment carry, so
    ///     the daemon logs it (the masking test passes a resident ID number).
    ///   - profiles: replaces the repository's profile directory.
    ///   - uplinkExtra: lines added to the `uplink` section (indented by two spaces).
    init(receiver: HTTPSReceiver, site: String? = nil, profiles: String? = nil, uplinkExtra: [String] = []) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-e2e-\(UUID().uuidString.prefix(8))").path
        self.directory = directory
        let storeDirectory = site.map { directory + "/site-\($0)" } ?? directory
        try FileManager.default.createDirectory(atPath: storeDirectory, withIntermediateDirectories: true)
        storePath = storeDirectory + "/pocgate.db"
        configPath = directory + "/pocgate.yaml"
        let siteSegment = site.map { "/" + $0 } ?? ""
        let config = """
            store:
              path: \(storePath)
            profiles:
              paths: [\(profiles ?? UmockdevHarness.repositoryRoot.path + "/DeviceProfiles")]
            uplink:
              url: \(receiver.url)\(siteSegment)
              ca_file: \(receiver.caFile)
              time_zone: Asia/Shanghai
              batch_size: 25
            \(uplinkExtra.map { "  " + $0 }.joined(separator: "\n"))
            log:
              level: info
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        chmod(configPath, 0o600)
        let binary = try #require(BuiltProducts.executable(named: "pocgate"), "pocgate is not built next to the tests")
        command = [binary.path, "run", "--config", configPath]
    }

    /// Harness options: wait for the daemon's monitor, then for each dump to complete.
    static func options(records: Int) -> UmockdevOptions {
        var o = UmockdevOptions()
        o.records = records
        // The meter's clock right, as in the field: its records' times are uploaded unchanged.
        o.meterClock = "now"
        o.meterZone = "Asia/Shanghai"
        o.readyLine = "<6>running"
        o.untilLogLine = "dump complete|device disconnected"
        o.removedLine = "device removed"
        o.settle = 1.5
        o.phaseTimeout = 60
        o.timeout = 150
        return o
    }

    /// The `dump complete`/session log lines' fields, in order.
    static func sessionLines(_ stderr: String) -> [[String: String]] {
        stderr.split(separator: "\n").filter { $0.contains("SESSION=") && ($0.contains("dump complete") || $0.contains("disconnected")) }
            .map { line in
                var fields: [String: String] = [:]
                for token in line.split(separator: " ") where token.contains("=") {
                    let kv = token.split(separator: "=", maxSplits: 1)
                    fields[String(kv[0])] = String(kv[1])
                }
                return fields
            }
    }

    func stats() throws -> StoreStats { try Store(path: storePath).stats() }

    /// Every resident-ID-shaped string (`[0-9]{17}[0-9Xx]`) in the files a harness run left:
    /// the daemon's stderr and stdout and the harness log. Meter serials are 16 hex digits and
    /// never match.
    static func unmaskedIDs(in run: UmockdevRun) -> [String: [String]] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: run.workdir.path)) ?? []
        var found: [String: [String]] = [:]
        for name in files where name.hasSuffix(".log") || name.hasSuffix(".stderr") || name.hasSuffix(".stdout") {
            let text = (try? String(contentsOfFile: run.workdir.appendingPathComponent(name).path, encoding: .utf8)) ?? ""
            let ids = ResidentIDs.unmasked(in: text)
            if !ids.isEmpty { found[name] = ids }
        }
        return found
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
}
