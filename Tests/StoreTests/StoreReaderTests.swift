import Foundation
import PocGateCore
import Testing
@testable import Store

@Suite("Store: read-only access for pocgate status")
struct StoreReaderTests {
    @Test func statusCountsMatchWhatTheStoreHolds() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("s.db")
        let store = try Store(path: path)
        let session = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "taidoc-td4277", startedAtMillis: 5_000)
        var ids: [Int64] = []
        for i in 0..<4 {
            if case .inserted(let id) = try store.insert(sampleReading(key: "k\(i)"), sessionID: session,
                                                          receivedAtMillis: 10_000 + Int64(i)) {
                ids.append(id)
            }
        }
        try store.markDelivered([ids[0]], atMillis: 20_000)
        try store.deferDelivery([ids[1]], error: "HTTP 503", nextAttemptAtMillis: 30_000)

        let reader = try StoreReader(path: path)
        let status = try reader.status()
        #expect(status == (try store.status()))
        #expect(status.readings == 4 && status.pending == 3 && status.delivered == 1)
        #expect(status.oldestPendingReceivedAtMillis == 10_001)
        #expect(status.pendingWithError == 1)
        #expect(status.lastDeliveredAtMillis == 20_000)
        #expect(status.sessions == 1 && status.lastSessionStartedAtMillis == 5_000)
        #expect(status.schemaVersion == Store.supportedSchemaVersion)
        // The daemon keeps writing while status reads.
        _ = try store.insert(sampleReading(key: "k9"), sessionID: nil, receivedAtMillis: 40_000)
        #expect(try reader.status().pending == 4)
    }

    @Test func neverCreatesAMissingDatabase() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("absent.db")
        #expect(throws: StoreError.self) { try StoreReader(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func neverMigratesOrWrites() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("empty.db")
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        #expect { try StoreReader(path: path) } throws: { "\($0)".contains("schema_migrations") }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size == 0, "the read-only open wrote to the file")
    }

    @Test func refusesADatabaseFromANewerPocgate() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("newer.db")
        let store = try Store(path: path)
        try store.executeRaw("INSERT INTO schema_migrations(version, name, applied_at) VALUES (99, 'future', 0)")
        #expect { try StoreReader(path: path) } throws: { ($0 as? StoreError) == .newerSchema(found: 99, supported: Store.supportedSchemaVersion) }
    }

    /// `pocgate status` runs as root on a database the `pocgate` user owns: files SQLite makes
    /// for a read-only reader must stay the owner's, or the daemon could not open them later.
    @Test(.enabled(if: geteuid() == 0, "needs root to own files as another user"))
    func aRootReaderLeavesSidecarFilesToTheDatabaseOwner() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("owned.db")
        do {
            let store = try Store(path: path)
            _ = try store.insert(sampleReading(), sessionID: nil, receivedAtMillis: 1)
        }
        // The writer is gone; the shared-memory index may go too (SQLite rebuilds it).
        try? FileManager.default.removeItem(atPath: path + "-shm")
        let nobody: uid_t = 65534
        for file in [dir.path, path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            #expect(chown(file, nobody, gid_t(nobody)) == 0)
        }
        let reader = try StoreReader(path: path)
        #expect(try reader.status().readings == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-shm"), "the reader made no -shm: nothing was checked")
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            var st = stat()
            #expect(stat(path + suffix, &st) == 0 && st.st_uid == nobody, "\(suffix) is owned by uid \(st.st_uid)")
        }
    }
}
