import Foundation
import PocGateCore
import Testing
@testable import Store

@Suite("Store: batches, the chain and dead letters")
struct StoreBatchTests {
    func draft(_ ids: [Int64], body: String = "{}") -> BatchDraft {
        BatchDraft(gatewayID: "gw-test", body: Array(body.utf8), bodySHA256: "hash-of-" + body, manifest: "[]", readingIDs: ids)
    }

    @Test func batchesAreNumberedAndChainedInOneTransactionWithTheirReadings() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("b.db"))
        for i in 1...4 { _ = try store.insert(sampleReading(key: "k\(i)"), sessionID: nil, receivedAtMillis: Int64(i)) }
        #expect(try store.pendingBatch() == nil)
        var signed: [(Int64, String)] = []
        let first = try store.createBatch(draft([1, 2], body: "A"), createdAtMillis: 10) { sequence, previous in
            signed.append((sequence, previous))
            return "sig-\(sequence)"
        }
        #expect(first.sequence == 1 && first.previousSHA256 == OutboxBatch.chainStart && first.signature == "sig-1")
        #expect(signed.map(\.0) == [1])
        // Batched readings are not candidates for another batch.
        #expect(try store.batchCandidates(limit: 10, nowMillis: 100).map(\.id) == [3, 4])
        #expect(try store.pendingBatch() == first)
        #expect(try store.readings(inBatch: 1).map(\.id) == [1, 2])
        try store.settleBatch(1, status: 200, delivered: [1, 2], deferred: [], deadLetters: [], atMillis: 20)
        #expect(try store.pendingBatch() == nil)
        let second = try store.createBatch(draft([3], body: "B"), createdAtMillis: 30) { sequence, _ in "sig-\(sequence)" }
        #expect(second.sequence == 2 && second.previousSHA256 == "hash-of-A")
        // A reading can be in one batch only.
        #expect(throws: StoreError.self) {
            _ = try store.createBatch(draft([3, 4]), createdAtMillis: 40) { _, _ in "x" }
        }
        #expect(try store.textColumn("SELECT COUNT(*) FROM batches") == ["2"])
        // A settled batch's body is dropped; its hash stays for the chain.
        #expect(try store.textColumn("SELECT COALESCE(length(body), -1) || ':' || state FROM batches ORDER BY sequence")
                == ["-1:acknowledged", "1:pending"])
    }

    @Test func aDeferredBatchIsSentAgainIdentically() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("d.db")
        let created: OutboxBatch
        do {
            let store = try Store(path: path)
            _ = try store.insert(sampleReading(key: "a"), sessionID: nil, receivedAtMillis: 1)
            created = try store.createBatch(draft([1], body: "BODY"), createdAtMillis: 5) { _, _ in "sig" }
            try store.deferBatch(1, error: "HTTP 503", nextAttemptAtMillis: 9_000)
        }
        // After a restart the same batch comes back, byte for byte.
        let store = try Store(path: path)
        let pending = try #require(try store.pendingBatch())
        #expect(pending.body == created.body && pending.signature == created.signature && pending.sequence == 1)
        #expect(pending.attempts == 1 && pending.nextAttemptAtMillis == 9_000 && pending.lastError == "HTTP 503")
        #expect(try store.dueOutbox(limit: 1, nowMillis: .max).first?.attempts == 1)
        #expect(try store.nextAttemptAtMillis() == 9_000)
    }

    @Test func settlingSplitsReadingsIntoDeliveredDeferredAndDead() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("s.db"))
        for i in 1...3 { _ = try store.insert(sampleReading(key: "k\(i)"), sessionID: nil, receivedAtMillis: Int64(i)) }
        _ = try store.createBatch(draft([1, 2, 3]), createdAtMillis: 5) { _, _ in "sig" }
        try store.settleBatch(1, status: 200, delivered: [1],
                              deferred: [BatchDeferral(readingID: 2, error: "entry 503", nextAttemptAtMillis: 700)],
                              deadLetters: [DeadLetterDraft(readingID: 3, httpStatus: 422, reason: "entry 422", response: "bad code")],
                              atMillis: 50)
        #expect(try store.stats() == StoreStats(readings: 3, pending: 1, delivered: 1, oldestPendingReceivedAtMillis: 2))
        #expect(try store.batchCandidates(limit: 10, nowMillis: 699).isEmpty)
        #expect(try store.batchCandidates(limit: 10, nowMillis: 700).map(\.id) == [2])
        let dead = try store.deadLetters()
        #expect(dead.count == 1)
        #expect(dead.first?.reading.id == 3 && dead.first?.httpStatus == 422 && dead.first?.response == "bad code")
        #expect(dead.first?.batchSequence == 1 && dead.first?.deadAtMillis == 50 && dead.first?.attempts == 1)
    }

    @Test func aRefusedBatchIsSplitInHalvesDownToADeadLetter() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("r.db"))
        for i in 1...5 { _ = try store.insert(sampleReading(key: "k\(i)"), sessionID: nil, receivedAtMillis: Int64(i)) }
        _ = try store.createBatch(draft([1, 2, 3, 4, 5]), createdAtMillis: 5) { _, _ in "sig" }
        #expect(try store.refuseBatch(1, status: 413, reason: "too large", response: nil, atMillis: 6) == .split(limit: 3))
        #expect(try store.batchCandidates(limit: 10, nowMillis: 0).map(\.batchLimit) == [3, 3, 3, 3, 3])
        _ = try store.createBatch(draft([1]), createdAtMillis: 7) { _, _ in "sig" }
        #expect(try store.refuseBatch(2, status: 422, reason: "bad", response: "diagnostics", atMillis: 8)
                == .deadLettered(readingID: 1))
        #expect(try store.deadLetter(id: 1)?.response == "diagnostics")
        #expect(try store.textColumn("SELECT state FROM batches ORDER BY sequence") == ["refused", "refused"])
        #expect(try store.stats().pending == 4)
    }

    @Test func deadLettersAreRetriedOrDroppedByHand() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("dl.db"))
        for i in 1...3 { _ = try store.insert(sampleReading(key: "k\(i)"), sessionID: nil, receivedAtMillis: Int64(i)) }
        _ = try store.createBatch(draft([1, 2, 3]), createdAtMillis: 5) { _, _ in "sig" }
        try store.settleBatch(1, status: 200, delivered: [], deferred: [], deadLetters: (1...3).map {
            DeadLetterDraft(readingID: $0, httpStatus: 400, reason: "bad", response: nil)
        }, atMillis: 6)
        #expect(try store.queueSummary().deadLetters == 3)
        try store.retryDeadLetter(id: 2)
        #expect(try store.batchCandidates(limit: 10, nowMillis: 0).map(\.id) == [2])
        #expect(throws: StoreError.noSuchDeadLetter(id: 2)) { try store.retryDeadLetter(id: 2) }
        try store.dropDeadLetter(id: 3, reason: "meter was in test mode", atMillis: 9)
        #expect(throws: StoreError.noSuchDeadLetter(id: 3)) { try store.dropDeadLetter(id: 3, reason: "again", atMillis: 9) }
        #expect(try store.deadLetters().map(\.reading.id) == [1])
        #expect(try store.deadLetters(includeDropped: true).map(\.dropReason) == [nil, "meter was in test mode"])
        // Retry-all leaves dropped ones alone.
        #expect(try store.retryAllDeadLetters() == 1)
        let summary = try store.queueSummary()
        #expect(summary.pending == 2 && summary.deadLetters == 0 && summary.droppedDeadLetters == 1)
    }

    @Test func provenanceIsStoredAndReadBack() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        let provenance = ReadingProvenance(gatewayID: "gw-1", profileVersion: 3, profileHash: "abcdef0123456789")
        let session = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "taidoc-td4277", startedAtMillis: 1)
        _ = try store.insert(sampleReading(raw: [1, 2, 3]), sessionID: session, receivedAtMillis: 2, provenance: provenance)
        let row = try #require(try store.batchCandidates(limit: 1, nowMillis: 0).first)
        #expect(row.provenance == provenance && row.sessionID == session && row.reading.raw == [1, 2, 3])
    }

    @Test func aVersion1DatabaseIsMigratedKeepingItsReadings() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("v1.db")
        do {
            let store = try Store(path: path)
            // Rebuild the file as pocgate with schema 1 left it.
            try store.executeRaw("""
                DROP TABLE dead_letters; DROP TABLE pruned_keys; DROP TABLE outbox; DROP TABLE batches;
                DROP TABLE readings; DROP TABLE device_bindings; DROP TABLE audit_log; DROP TABLE record_problems;
                DELETE FROM schema_migrations WHERE version >= 2;
                """)
            try store.executeRaw("""
                CREATE TABLE readings (
                    id INTEGER PRIMARY KEY, device_serial TEXT NOT NULL, record_key TEXT NOT NULL, profile_id TEXT NOT NULL,
                    device_model TEXT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, value TEXT NOT NULL, unit TEXT NOT NULL,
                    device_time TEXT NOT NULL, flags TEXT NOT NULL, raw BLOB NOT NULL, session_id INTEGER REFERENCES sessions(id),
                    received_at_ms INTEGER NOT NULL, delivered_at_ms INTEGER, UNIQUE (device_serial, record_key));
                CREATE TABLE outbox (reading_id INTEGER PRIMARY KEY REFERENCES readings(id), attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at_ms INTEGER NOT NULL DEFAULT 0, last_error TEXT);
                INSERT INTO readings(device_serial, record_key, profile_id, device_model, kind, code, value, unit, device_time,
                                     flags, raw, received_at_ms)
                    VALUES ('OLD-1', 'k', 'taidoc-td4277', 'TD-4277', 'glucose', '41653-7', '99', 'mg/dL', '2024-01-02T03:04:00', '', x'51', 7);
                INSERT INTO outbox(reading_id) VALUES (1);
                """)
        }
        let store = try Store(path: path)
        #expect(store.schemaVersion == Store.supportedSchemaVersion)
        let row = try #require(try store.batchCandidates(limit: 1, nowMillis: 0).first)
        #expect(row.reading.deviceSerial == "OLD-1" && row.provenance == ReadingProvenance())
    }
}
