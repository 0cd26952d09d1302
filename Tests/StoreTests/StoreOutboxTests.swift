import Foundation
import PocGateCore
import Testing
@testable import Store

@Suite("Store: readings and the outbox")
struct StoreOutboxTests {
    @Test func duplicateInsertChangesNothing() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("dup.db"))
        let first = try store.insert(sampleReading(), sessionID: nil, receivedAtMillis: 100)
        #expect(first == .inserted(id: 1))
        try store.markDelivered([1], atMillis: 150)
        // The same measurement read again from the device (even with another value) is a duplicate.
        let again = try store.insert(sampleReading(value: "9.9"), sessionID: nil, receivedAtMillis: 200)
        #expect(again == .duplicate(id: 1))
        #expect(try store.stats() == StoreStats(readings: 1, pending: 0, delivered: 1, oldestPendingReceivedAtMillis: nil))
        #expect(try store.textColumn("SELECT value FROM readings") == ["5.60"])
        // Same record key on another device is a different measurement.
        #expect(try store.insert(sampleReading(serial: "OTHER"), sessionID: nil, receivedAtMillis: 300) == .inserted(id: 2))
        #expect(try store.stats().pending == 1)
    }

    @Test func exactValueTextRoundTrips() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("exact.db"))
        let values = ["5.60", "120", "0.05", "-3", "33.300"]
        for (i, value) in values.enumerated() {
            _ = try store.insert(sampleReading(key: "k\(i)", value: value), sessionID: nil, receivedAtMillis: Int64(i))
        }
        #expect(try store.textColumn("SELECT value FROM readings ORDER BY id") == values)
        #expect(try store.textColumn("SELECT DISTINCT typeof(value) FROM readings") == ["text"])
        let due = try store.dueOutbox(limit: 10, nowMillis: 0)
        #expect(due.map(\.reading.value.description) == values)
    }

    @Test func allFieldsRoundTrip() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("fields.db"))
        let readings = [
            sampleReading(key: "a", value: "120", unit: "mg/dL", flags: [], raw: []),
            sampleReading(key: "b", flags: [.afterMeal, .belowRange, .beforeMeal], raw: Array(0...255)),
        ]
        for reading in readings { _ = try store.insert(reading, sessionID: nil, receivedAtMillis: 7) }
        #expect(try store.textColumn("SELECT flags FROM readings ORDER BY id") == ["", "after-meal,before-meal,lo"])
        #expect(try store.dueOutbox(limit: 10, nowMillis: 0).map(\.reading) == readings)
    }

    @Test func dueOutboxHonoursOrderLimitAndSchedule() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("due.db"))
        for i in 1...5 {
            _ = try store.insert(sampleReading(key: "k\(i)"), sessionID: nil, receivedAtMillis: Int64(i * 10))
        }
        #expect(try store.dueOutbox(limit: 3, nowMillis: 0).map(\.id) == [1, 2, 3])
        try store.deferDelivery([1, 3], error: "HTTP 500", nextAttemptAtMillis: 1_000)
        #expect(try store.dueOutbox(limit: 10, nowMillis: 999).map(\.id) == [2, 4, 5])
        #expect(try store.dueOutbox(limit: 10, nowMillis: 1_000).map(\.id) == [1, 2, 3, 4, 5])
        #expect(try store.dueOutbox(limit: 0, nowMillis: 1_000).isEmpty)
    }

    @Test func markDeliveredEmptiesTheOutbox() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("deliver.db"))
        for i in 1...3 { _ = try store.insert(sampleReading(key: "k\(i)"), sessionID: nil, receivedAtMillis: Int64(i)) }
        try store.markDelivered([1, 2], atMillis: 5_000)
        #expect(try store.stats() == StoreStats(readings: 3, pending: 1, delivered: 2, oldestPendingReceivedAtMillis: 3))
        try store.markDelivered([3], atMillis: 6_000)
        try store.markDelivered([], atMillis: 7_000)
        #expect(try store.stats() == StoreStats(readings: 3, pending: 0, delivered: 3, oldestPendingReceivedAtMillis: nil))
        #expect(try store.dueOutbox(limit: 10, nowMillis: .max).isEmpty)
        #expect(try store.nextAttemptAtMillis() == nil)
        #expect(try store.textColumn("SELECT delivered_at_ms FROM readings ORDER BY id") == ["5000", "5000", "6000"])
    }

    @Test func deferDeliveryCountsAttemptsAndReschedules() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("defer.db"))
        _ = try store.insert(sampleReading(key: "a"), sessionID: nil, receivedAtMillis: 1)
        _ = try store.insert(sampleReading(key: "b"), sessionID: nil, receivedAtMillis: 2)
        #expect(try store.nextAttemptAtMillis() == 0)
        try store.deferDelivery([1], error: "connect failed", nextAttemptAtMillis: 2_000)
        try store.deferDelivery([1], error: "HTTP 503", nextAttemptAtMillis: 6_000)
        try store.deferDelivery([2], error: "HTTP 503", nextAttemptAtMillis: 4_000)
        #expect(try store.nextAttemptAtMillis() == 4_000)
        #expect(try store.dueOutbox(limit: 10, nowMillis: 6_000).map(\.attempts) == [2, 1])
        #expect(try store.textColumn("SELECT last_error FROM outbox ORDER BY reading_id") == ["HTTP 503", "HTTP 503"])
        #expect(try store.stats().pending == 2)
    }

    @Test func concurrentInsertsAreSerialized() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("threads.db"))
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<25 {
                // Every worker inserts the same 25 keys: exactly one insert of each may win.
                _ = try? store.insert(sampleReading(key: "k\(i)"), sessionID: nil, receivedAtMillis: Int64(worker))
            }
        }
        #expect(try store.stats().readings == 25)
        #expect(try store.stats().pending == 25)
    }
}
