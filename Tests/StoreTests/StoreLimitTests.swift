import Foundation
import PocGateCore
import Testing
@testable import Store

@Suite("Store: the size cap and a full disk")
struct StoreLimitTests {
    /// Inserts readings `k<from>`…`k<to-1>` one per transaction until the store refuses.
    func fill(_ store: Store, from: Int, to: Int) throws -> (inserted: Int, error: StoreError?) {
        var inserted = 0
        for i in from..<to {
            do {
                _ = try store.insert(sampleReading(key: "k\(i)", raw: Array(repeating: UInt8(i & 0xFF), count: 200)),
                                     sessionID: nil, receivedAtMillis: Int64(i))
                inserted += 1
            } catch {
                return (inserted, error)
            }
        }
        return (inserted, nil)
    }

    @Test func atTheCapDeliveredReadingsArePrunedThenInsertsAreRefused() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("cap.db"), limits: StoreLimits(maxBytes: 256 * 1024))
        let first = try fill(store, from: 0, to: 100_000)
        let full = try #require(first.error)
        #expect(full.isFull)
        guard case .full(let used, let limit?) = full else {
            Issue.record("expected .full with the cap, got \(full)")
            return
        }
        #expect(limit == 256 * 1024 && used >= limit)
        #expect(full.description.contains("store.max_size_mb"))
        let undelivered = first.inserted
        #expect(undelivered > 100)
        #expect(try store.stats().pending == undelivered)

        // Delivering half of them makes room: they are pruned, the rest are never evicted.
        let ids = try store.dueOutbox(limit: undelivered / 2, nowMillis: .max).map(\.id)
        try store.markDelivered(ids, atMillis: 1)
        let second = try fill(store, from: 100_000, to: 200_000)
        #expect(second.inserted > 0)
        #expect(second.error?.isFull == true)
        let stats = try store.stats()
        #expect(stats.pending == undelivered - ids.count + second.inserted)
        #expect(stats.delivered == 0)  // pruned
        #expect(try store.textColumn("SELECT COUNT(*) FROM pruned_keys") == ["\(ids.count)"])
        // A pruned reading read again from the device is still recognised.
        #expect(try store.insert(sampleReading(key: "k0", raw: []), sessionID: nil, receivedAtMillis: 9) == .alreadyDelivered)
    }

    @Test func sessionsOfUndeliveredReadingsSurvivePruning() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("keep.db"))
        let old = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "p", startedAtMillis: 1)
        let kept = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "p", startedAtMillis: 2)
        _ = try store.insert(sampleReading(key: "delivered"), sessionID: old, receivedAtMillis: 1)
        _ = try store.insert(sampleReading(key: "waiting"), sessionID: kept, receivedAtMillis: 2)
        try store.endSession(old, outcome: "complete", recordsRead: 1, recordsNew: 1, endedAtMillis: 3)
        try store.endSession(kept, outcome: "complete", recordsRead: 1, recordsNew: 1, endedAtMillis: 4)
        try store.markDelivered([1], atMillis: 5)
        #expect(try store.pruneDelivered() == 1)
        #expect(try store.textColumn("SELECT id FROM sessions") == ["\(kept)"])
        #expect(try store.textColumn("SELECT record_key FROM readings") == ["waiting"])
    }

    /// A real full disk: a 1 MiB tmpfs. Needs root and mount(2), so it is skipped elsewhere;
    /// `simulatedFullDisk` covers the same path with SQLite's page cap.
    static var canMountTmpfs: Bool {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-tmpfs-probe-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard mount("tmpfs", probe, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(probe)
        return true
    }

    @Test(.enabled(if: canMountTmpfs, "needs root and tmpfs mounts"))
    func aFullDiskRefusesInsertsAndRecoversWhenSpaceReturns() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // mode=0700: a tmpfs root is world-writable by default, and the store refuses such a directory.
        try #require(mount("tmpfs", dir.path, "tmpfs", 0, "size=1m,mode=0700") == 0)
        defer { umount(dir.path) }
        let store = try Store(path: dir.file("disk.db"))
        // Another program's file takes a quarter of the disk; it is removed later (space returns).
        let ballast = dir.file("ballast")
        try #require(FileManager.default.createFile(atPath: ballast, contents: Data(count: 256 * 1024)))
        let result = try fill(store, from: 0, to: 100_000)
        let error = try #require(result.error)
        #expect(error.isFull, "got \(error)")
        #expect(error.description.contains("disk is full"))
        #expect(try store.stats().pending == result.inserted)
        // Nothing is delivered yet, so nothing can be pruned: still refused.
        #expect(try fill(store, from: 200_000, to: 200_001).error?.isFull == true)
        // Readings already stored need no room and are still recognised.
        #expect(try store.insert(sampleReading(key: "k0", raw: []), sessionID: nil, receivedAtMillis: 9) == .duplicate(id: 1))
        // Space returns: the same store, without a restart, takes readings again.
        try FileManager.default.removeItem(atPath: ballast)
        let again = try fill(store, from: 300_000, to: 300_010)
        #expect(again.inserted == 10, "\(String(describing: again.error))")
    }

    @Test func simulatedFullDiskBehavesTheSame() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("pages.db"))
        _ = try fill(store, from: 0, to: 10)
        let pages = Int(try store.textColumn("PRAGMA page_count")[0])!
        try store.executeRaw("PRAGMA max_page_count = \(pages + 8)")
        let result = try fill(store, from: 10, to: 100_000)
        let error = try #require(result.error)
        #expect(error.isFull && error.sqliteCode == nil)
        #expect(try store.stats().pending == 10 + result.inserted)
        // Room returns: the limit is lifted (as when space is freed on the disk).
        try store.executeRaw("PRAGMA max_page_count = 1073741823")
        #expect(try fill(store, from: 200_000, to: 200_005).inserted == 5)
    }
}
