import Foundation
import Store
import Testing

/// Records a device sent that were not decoded are kept with their bytes, once.
@Suite struct RecordProblemTests {
    /// Risk: an undecoded record silently lost, or stored again by every later session.
    @Test func anUndecodedRecordIsKeptOnceWithItsBytes() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        let raw: [UInt8] = [0x51, 0x25, 0xCF, 0x30, 0x9E, 0x08, 0xA5, 0xC0]
        #expect(try store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "model 3261 is not listed", raw: raw, atMillis: 1) == .kept)
        #expect(try store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "model 3261 is not listed", raw: raw, atMillis: 2) == .alreadyKept)
        #expect(try store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "model 3261 is not listed", raw: raw + [0], atMillis: 3) == .kept)
        let kept = try store.recordProblems()
        #expect(kept.map(\.raw) == [raw, raw + [0]])
        #expect(kept.first?.firstSeenAtMillis == 1)
        #expect(try store.queueSummary().recordProblems == 2)
        #expect(try store.stats().readings == 0, "a problem is never a reading")
    }

    static func keep(_ store: Store, _ raw: [UInt8], at millis: Int64 = 1) throws -> ProblemKeeping {
        try store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "junk", raw: raw, atMillis: millis)
    }

    /// Risk: a device sending junk session after session fills the store (and then readings
    /// are refused for lack of room), or `pocgate queue problems` loads gigabytes.
    @Test func theStoreKeepsABoundedNumberOfProblems() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"), limits: StoreLimits(maxBytes: nil, problemRows: 3, problemBytes: 1000))
        for i in 0..<3 { #expect(try Self.keep(store, [UInt8(i)]) == .kept) }
        #expect(try Self.keep(store, [9]) == .notKept(.problemLimit, keptRows: 3, keptBytes: 3))
        #expect(try Self.keep(store, [1]) == .alreadyKept, "a record kept before is still recognised at the bound")
        #expect(try store.recordProblems().count == 3)

        let bytes = try Store(path: dir.file("b.db"), limits: StoreLimits(maxBytes: nil, problemRows: 100, problemBytes: 1000))
        #expect(try Self.keep(bytes, [UInt8](repeating: 1, count: 600)) == .kept)
        #expect(try Self.keep(bytes, [UInt8](repeating: 2, count: 401)) == .notKept(.problemLimit, keptRows: 1, keptBytes: 600))
        #expect(try Self.keep(bytes, [UInt8](repeating: 3, count: 400)) == .kept, "exactly at the byte bound")
    }

    /// Risk: problems taking the room a capped store keeps for readings.
    @Test func aFullStoreKeepsItsRoomForReadings() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"), limits: StoreLimits(maxBytes: 256 * 1024))
        var outcome = ProblemKeeping.kept
        var i = 0
        while outcome == .kept, i < 1000 {
            outcome = try Self.keep(store, [UInt8](repeating: UInt8(i % 256), count: 4000) + [UInt8(i / 256)])
            i += 1
        }
        guard case let .notKept(cause, rows, _) = outcome else {
            Issue.record("1000 problems of 4 KB kept in a 256 KiB store")
            return
        }
        #expect(cause == .storeFull && rows == i - 1)
        #expect(try store.databaseBytes() <= 256 * 1024)
    }

    /// After a person looked at them, dropping the kept problems makes room for new ones,
    /// and the audit log says who did it.
    @Test func droppingProblemsMakesRoomAndIsAudited() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"), limits: StoreLimits(maxBytes: nil, problemRows: 3))
        for i in 0..<3 { try Self.keep(store, [UInt8(i)]) }
        #expect(try Self.keep(store, [7]) != .kept)
        let ids = try store.recordProblems().map(\.id)
        #expect(try store.dropProblems(through: ids[1], actor: "tech", atMillis: 5) == 2)
        #expect(try store.recordProblems().map(\.id) == [ids[2]])
        #expect(try Self.keep(store, [7]) == .kept)
        let audit = try store.auditLog()
        #expect(audit.first?.action == "drop-problems" && audit.first?.actor == "tech" && audit.first?.detail == "2 problem(s) through id \(ids[1])")
    }
}
