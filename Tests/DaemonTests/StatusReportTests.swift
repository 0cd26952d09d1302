import Tools
import Sessions
import Transports
import Daemon
import Foundation
import PocGateCore
import Store
import Testing

/// `pocgate status`'s verdicts, from a store and a status file made by the test.
@Suite struct StatusReportTests {
    let directory: String
    var config: GatewayConfig

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-status-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/run", withIntermediateDirectories: true)
        config = GatewayConfig(uplinkURL: "https://center.example/fhir")
        config.storePath = directory + "/pocgate.db"
        config.statusPath = directory + "/run/status.json"
    }

    func reading(_ key: String) -> Reading {
        Reading(profileID: "taidoc-td4277", deviceSerial: "0102030405060708", deviceModel: "TD-4277", recordKey: key,
                kind: .glucose, code: "41653-7", value: ExactDecimal(parsing: "120")!, unit: "mg/dL",
                deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30), flags: [], raw: [0x51])
    }

    func writeStatus(pid: Int32, state: RuntimeStatus.State = .running, upload: UploadResult? = nil) throws {
        let now = Date()
        try StatusFile(path: config.statusPath).write(RuntimeStatus(
            pid: pid, startedAt: now, updatedAt: now, state: state, ready: true, watchdogSeconds: 120, stalled: nil,
            storePath: config.storePath, devices: [], queueDepth: 0, oldestPendingAt: nil, lastUpload: upload))
    }

    @Test func oldQueueAndFailedUploadNeedAttention() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Store(path: config.storePath)
        let threeDaysAgo = Int64(Date().addingTimeInterval(-3 * 86_400).timeIntervalSince1970 * 1000)
        _ = try store.insert(reading("a"), sessionID: nil, receivedAtMillis: threeDaysAgo)
        try writeStatus(pid: getpid(), upload: UploadResult(at: Date(), ok: false, detail: "1 not delivered: connection refused"))

        let report = StatusReport.gather(config: config, maxAge: .seconds(86_400))
        #expect(report.health == .attention && report.exitCode == 1)
        #expect(report.queue.depth == 1 && (report.queue.oldestPendingAgeSeconds ?? 0) >= 3 * 86_400 - 5)
        #expect(report.problems.contains { $0.hasPrefix("the oldest undelivered reading has waited 3 d") })
        #expect(report.problems.contains("the last upload failed: 1 not delivered: connection refused"))
        // The test process is not pocgate: a status file naming it is stale.
        #expect(report.problems.first == "the daemon is not running (pid \(getpid()) is gone; the status file is stale)")
        #expect(report.store?.readings == 1)
        #expect(report.text().contains("1 reading waiting"))
        #expect(report.json().contains("\"health\" : \"attention\""))
        // A longer --max-age accepts the same queue.
        #expect(!StatusReport.gather(config: config, maxAge: .seconds(7 * 86_400)).problems.contains { $0.contains("oldest") })
    }

    @Test("upload without a subject: an ECG held for want of a patient ID is a problem naming the attach command")
    func heldECGIsAProblem() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Store(path: config.storePath)
        let ecg = Reading(profileID: "cart", deviceSerial: "ECG-1", deviceModel: "PGC12", recordKey: "ecg|t|none|ecg-heart-rate|72",
                          kind: .ecgHeartRate, code: "8867-4", value: ExactDecimal(72), unit: "/min",
                          deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8), flags: [], raw: [])
        _ = try store.insert(ecg, sessionID: nil, receivedAtMillis: Int64(Date().timeIntervalSince1970 * 1000))
        let report = StatusReport.gather(config: config, maxAge: .seconds(86_400))
        #expect(report.problems.contains { $0.hasPrefix("1 ECG readings held back") && $0.contains("pocgate queue attach") })
    }

    @Test func aDaemonThatNeverRanIsAttentionNotUnreadable() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let report = StatusReport.gather(config: config, maxAge: .seconds(60))
        #expect(report.health == .attention)
        #expect(report.problems.contains { $0.hasPrefix("no database at") })
        #expect(report.problems.contains { $0.hasPrefix("the daemon is not running (no status file at \(config.statusPath))") })
        #expect(!FileManager.default.fileExists(atPath: config.storePath), "status created the database")
    }

    @Test func aDamagedDatabaseIsUnreadable() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: config.storePath))
        let report = StatusReport.gather(config: config, maxAge: .seconds(60))
        #expect(report.health == .unreadable && report.exitCode == 65 && report.pluginState == .unknown)
        #expect(report.problems.contains { $0.hasPrefix("cannot read the database: ") })
    }

    @Test func theStatusFileFallsBackBesideTheDatabase() {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(StatusFile.resolve(statusPath: config.statusPath, storePath: config.storePath).path == config.statusPath)
        #expect(StatusFile.resolve(statusPath: "/nonexistent-pocgate/status.json", storePath: config.storePath).path
                == directory + "/status.json")
    }
}
