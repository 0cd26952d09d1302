import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Logging
import PocGateCore
import Store
import Synchronization
import Testing

/// `pocgate queue` on a database the configuration names.
@Suite struct QueueToolTests {
    final class Lines: Sendable {
        let storage = Mutex<[(Logger.Level, String, String)]>([])
        func logger() -> Logger {
            Logger(label: "test") { _ in Handler(lines: self) }
        }
        struct Handler: LogHandler {
            let lines: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let meta = (event.metadata ?? [:]).map { "\($0)=\($1)" }.sorted().joined(separator: " ")
                lines.storage.withLock { $0.append((event.level, "\(event.message)", meta)) }
            }
        }
    }

    /// A fresh directory with a configuration naming its store: the directory and the file.
    static func gatewayDirectory() throws -> (dir: String, config: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-queue-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = dir + "/pocgate.yaml"
        try "store:\n  path: \(dir)/pocgate.db\nuplink:\n  url: https://center.example/fhir\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        return (dir, config)
    }

    @Test func summaryListShowRetryAndDrop() throws {
        let (dir, config) = try Self.gatewayDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try Store(path: dir + "/pocgate.db")
            for i in 1...3 {
                let reading = Reading(profileID: "taidoc-td4277", deviceSerial: "METER", deviceModel: "TD-4277", recordKey: "k\(i)",
                                      kind: .glucose, code: "41653-7", value: ExactDecimal(parsing: "9\(i)")!, unit: "mg/dL",
                                      deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8), flags: [], raw: [0xAB])
                _ = try store.insert(reading, sessionID: nil, receivedAtMillis: 1_000 * Int64(i),
                                     provenance: ReadingProvenance(gatewayID: "gw-q", profileVersion: 1, profileHash: "ff"))
            }
            _ = try store.createBatch(BatchDraft(gatewayID: "gw-q", body: [], bodySHA256: "h", manifest: "[]", readingIDs: [1, 2]),
                                      createdAtMillis: 5_000) { _, _ in "s" }
            try store.settleBatch(1, status: 200, delivered: [], deferred: [], deadLetters: [
                DeadLetterDraft(readingID: 1, httpStatus: 422, reason: "Observation entry: status 422", response: "code 99 unknown"),
                DeadLetterDraft(readingID: 2, httpStatus: 400, reason: "Observation entry: status 400", response: nil),
            ], atMillis: 6_000)
        }
        let summary = try QueueTool.withStore(configPath: config) { (store: Store) throws(StoreError) in try store.queueSummary() }
        let text = QueueText.summary(summary, nowMillis: 3_000 + 86_400_000 * 2)
        #expect(text.contains("pending: 1"))
        #expect(text.contains("oldest undelivered: 2d 0h ago"))
        #expect(text.contains("dead letters: 2"))
        #expect(QueueText.summaryJSON(summary, nowMillis: 4_000).contains(#""pending":1"#))

        let letters = try QueueTool.withStore(configPath: config) { (store: Store) throws(StoreError) in try store.deadLetters() }
        let list = QueueText.list(letters)
        #expect(list.split(separator: "\n").count == 2 && list.contains("METER/k1") && list.contains("HTTP 422"))
        let shown = QueueText.show(letters[0])
        #expect(shown.contains("server answer: code 99 unknown") && shown.contains("profile: taidoc-td4277 v1 #ff"))
        #expect(shown.contains("gateway: gw-q") && shown.contains("raw: AB"))

        let log = Lines()
        try QueueTool.drop(id: 2, reason: "meter in test mode", configPath: config, logger: log.logger())
        let logged = log.storage.withLock { $0 }
        #expect(logged.count == 1 && logged[0].0 == .notice && logged[0].2.contains("reason=meter in test mode"))
        #expect(throws: QueueTool.Failure.self) {
            try QueueTool.drop(id: 2, reason: "again", configPath: config, logger: log.logger())
        }
        try QueueTool.withStore(configPath: config) { (store: Store) throws(StoreError) in try store.retryDeadLetter(id: 1) }
        let after = try QueueTool.withStore(configPath: config) { (store: Store) throws(StoreError) in try store.queueSummary() }
        #expect(after.pending == 2 && after.deadLetters == 0 && after.droppedDeadLetters == 1)
        #expect(throws: QueueTool.Failure.self) { _ = try QueueTool.openStore(configPath: dir + "/missing.yaml") }
    }

    /// `pocgate queue problems --drop-through ID`: the problems up to ID go, the later stay,
    /// a notice is logged and the audit log names the operator.
    @Test func droppingKeptProblemsThroughAnID() throws {
        let (dir, config) = try Self.gatewayDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try Store(path: dir + "/pocgate.db")
            for i in 0..<5 {
                try store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "junk", raw: [UInt8(i)], atMillis: 1)
            }
        }
        let log = Lines()
        #expect(try QueueTool.dropProblems(through: 3, configPath: config, logger: log.logger()) == 3)
        let left = try QueueTool.withStore(configPath: config) { (store: Store) throws(StoreError) in try store.recordProblems() }
        #expect(left.map(\.raw) == [[3], [4]])
        let logged = log.storage.withLock { $0 }
        #expect(logged.count == 1 && logged[0].0 == .notice && logged[0].2.contains("dropped=3"))
        let audit = try QueueTool.withStore(configPath: config) { (store: Store) throws(StoreError) in try store.auditLog() }
        #expect(audit.first?.action == "drop-problems")
    }
}

@Suite("pocgate queue: control results")
struct QueueTextControlTests {
    @Test("control results are counted as kept locally, so an operator sees why they never reached the center")
    func controlResultsAreShown() {
        let summary = QueueSummary(readings: 3, pending: 0, delivered: 2, oldestPendingReceivedAtMillis: nil, lastError: nil,
                                   deadLetters: 0, droppedDeadLetters: 0, pendingBatch: nil, lastSequence: 1,
                                   databaseBytes: 4096, controlResults: 1)
        #expect(QueueText.summary(summary, nowMillis: 0).contains("control results kept locally: 1"))
        #expect(QueueText.summaryJSON(summary, nowMillis: 0).contains(#""controlResults":1"#))
    }
}

@Suite("pocgate queue: held readings")
struct QueueTextHeldTests {
    @Test("readings held for a reset meter clock are counted with their reason, so an operator sees why they are not uploaded")
    func heldReadingsAreShown() {
        let summary = QueueSummary(readings: 5, pending: 1, delivered: 0, oldestPendingReceivedAtMillis: nil, lastError: nil,
                                   deadLetters: 0, droppedDeadLetters: 0, pendingBatch: nil, lastSequence: 0,
                                   databaseBytes: 4096, heldReadings: ["clock-reset": 3, "in-future": 1])
        #expect(QueueText.summary(summary, nowMillis: 0).contains("held (implausible meter clock, not uploaded): 4 (clock-reset 3, in-future 1)"))
        #expect(QueueText.summaryJSON(summary, nowMillis: 0).contains(#""heldReadings":{"clock-reset":3,"in-future":1}"#))
        let none = QueueSummary(readings: 0, pending: 0, delivered: 0, oldestPendingReceivedAtMillis: nil, lastError: nil,
                                deadLetters: 0, droppedDeadLetters: 0, pendingBatch: nil, lastSequence: 0, databaseBytes: 0)
        #expect(QueueText.summary(none, nowMillis: 0).contains("held (implausible meter clock, not uploaded): 0"))
    }
}
