import Foundation
import Glibc
import Testing
@testable import Store

/// SQLite tells connections of other processes that the database is in use by POSIX locks on
/// `-shm`. Closing any ordinary descriptor of that file in the daemon drops them all; the next
/// `pocgate status` or `sqlite3` then re-initialises `-shm` under the daemon's mapping and the
/// daemon dies of SIGBUS mid-dump (seen under kill -9 loops). Checking and re-moding the
/// companion files must leave the locks in place.
@Suite("Store: checking the companion files keeps SQLite's locks", .serialized)
struct StoreLockTests {
    /// Whether another process can take the shared-memory "dead man switch" byte exclusively:
    /// it can only when no connection holds its shared lock (SQLite's unix VFS, byte 128).
    static func sharedMemoryLockIsFree(_ shm: String) throws -> Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        probe.arguments = ["-c", """
            import fcntl, os, sys
            fd = os.open(sys.argv[1], os.O_RDWR)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
                print("free")
            except OSError:
                print("held")
            """, shm]
        let out = Pipe()
        probe.standardOutput = out
        try probe.run()
        probe.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.contains("free")
    }

    @Test("a store whose companion files are checked again still holds its -shm lock")
    func checkingCompanionFilesKeepsTheSharedMemoryLock() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        chmod(dir.path, 0o700)
        let path = dir.file("pocgate.db")
        let store = try Store(path: path)
        _ = try store.insert(sampleReading(key: "one"), sessionID: nil, receivedAtMillis: 1)
        #expect(try !Self.sharedMemoryLockIsFree(path + "-shm"), "an open store must hold its -shm lock")

        try PrivateFile.tightenSidecars(of: path)
        #expect(try !Self.sharedMemoryLockIsFree(path + "-shm"), "checking the companion files dropped the store's lock")

        // A second Store on the same file in this process (a tool run in-process, a test) must
        // not drop the first one's locks either.
        let second = try Store(path: path)
        _ = second
        #expect(try !Self.sharedMemoryLockIsFree(path + "-shm"))
        _ = try store.insert(sampleReading(key: "two"), sessionID: nil, receivedAtMillis: 2)
    }

    @Test("a companion file planted as a link is still refused through the O_PATH check")
    func aPlantedLinkIsRefusedWithoutOpeningIt() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        chmod(dir.path, 0o700)
        let target = dir.file("elsewhere")
        _ = FileManager.default.createFile(atPath: target, contents: Data(), attributes: [.posixPermissions: 0o644])
        try FileManager.default.createSymbolicLink(atPath: dir.file("pocgate.db-shm"), withDestinationPath: target)
        #expect(throws: PrivateFile.Refusal.self) { try PrivateFile.tightenSidecars(of: dir.file("pocgate.db")) }
        var st = stat()
        _ = stat(target, &st)
        #expect(st.st_mode & 0o777 == 0o644, "the link's target must not be re-moded")
    }
}
