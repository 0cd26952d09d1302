import Foundation
import Glibc
import Testing
@testable import Store

/// The database and its companion files are opened without following links and re-moded only
/// through their own descriptor, after checking they are regular files of the service user.
@Suite("Store: private files are never followed or re-moded by name")
struct PrivateFileTests {
    /// A node that is not a regular file: a character device like /dev/null when the test runs
    /// as root (mknod 1:3), a named pipe otherwise. Both are ours, so re-moding them harms nothing.
    static func plantNonRegularFile(at path: String) throws {
        if geteuid() == 0, mknod(path, S_IFCHR | 0o666, dev_t(0x103)) == 0 { return }
        guard mkfifo(path, 0o666) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    static func mode(_ path: String) -> mode_t {
        var st = stat()
        _ = lstat(path, &st)
        return st.st_mode & 0o7777
    }

    @Test func F3_storePathDevNullIsRefusedAndNotReModed() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("null")
        try Self.plantNonRegularFile(at: path)
        _ = chmod(path, 0o666)
        let error = try #require(throws: StoreError.self) { try Store(path: path) }
        guard case .unsafeFile(.notRegularFile(let refused, _)) = error else {
            Issue.record("expected a not-a-regular-file refusal, got \(error)")
            return
        }
        #expect(refused == path)
        #expect(error.isConfiguration)
        #expect(Self.mode(path) == 0o666)
        #expect(access(path + "-journal", F_OK) != 0 && access(path + "-wal", F_OK) != 0)
        #expect(error.description.contains("not a regular file") && !error.description.contains("SD card"))
    }

    @Test func F12_plantedSidecarSymlinksAreRefusedNotFollowed() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let victim = dir.file("victim.txt")
        _ = FileManager.default.createFile(atPath: victim, contents: Data("someone else's".utf8), attributes: [.posixPermissions: 0o644])
        let path = dir.file("pocgate.db")
        for suffix in ["-wal", "-shm", "-journal"] {
            _ = unlink(path + suffix)
            #expect(symlink(victim, path + suffix) == 0)
            let error = try #require(throws: StoreError.self) { try Store(path: path) }
            #expect(error == .unsafeFile(.notRegularFile(path: path + suffix, kind: "a symbolic link")))
            #expect(Self.mode(victim) == 0o644, "\(suffix) was followed")
            _ = unlink(path + suffix)
        }
        // With the links gone the same store opens.
        _ = try Store(path: path)
        #expect(Self.mode(path) == 0o600 && Self.mode(victim) == 0o644)
    }

    @Test func aDatabasePathThatIsASymlinkIsRefused() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let target = dir.file("real.db")
        _ = FileManager.default.createFile(atPath: target, contents: nil, attributes: [.posixPermissions: 0o644])
        #expect(symlink(target, dir.file("link.db")) == 0)
        let error = try #require(throws: StoreError.self) { try Store(path: dir.file("link.db")) }
        #expect(error == .unsafeFile(.notRegularFile(path: dir.file("link.db"), kind: "a symbolic link")))
        #expect(Self.mode(target) == 0o644)
    }

    @Test func aHardLinkedDatabaseIsRefused() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        _ = FileManager.default.createFile(atPath: dir.file("a.db"), contents: nil, attributes: [.posixPermissions: 0o644])
        #expect(link(dir.file("a.db"), dir.file("b.db")) == 0)
        let error = try #require(throws: StoreError.self) { try Store(path: dir.file("b.db")) }
        #expect(error == .unsafeFile(.hardLinked(path: dir.file("b.db"), links: 2)))
        #expect(Self.mode(dir.file("a.db")) == 0o644)
    }

    @Test func aDirectoryOthersMayWriteIsRefused() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        #expect(chmod(dir.path, 0o1777) == 0)
        let error = try #require(throws: StoreError.self) { try Store(path: dir.file("pocgate.db")) }
        guard case .unsafeFile(.unsafeDirectory(let directory, let reason)) = error else {
            Issue.record("expected an unsafe-directory refusal, got \(error)")
            return
        }
        #expect(directory == dir.path && reason.contains("chmod o-w"))
        #expect(access(dir.file("pocgate.db"), F_OK) != 0)
    }

    @Test func aFileOfAnotherUserIsRefused() throws {
        // Needs root to give the file away; as another user the directory rule is exercised above.
        guard geteuid() == 0 else { return }
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("pocgate.db")
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        #expect(chown(path, 65534, 65534) == 0)
        let error = try #require(throws: StoreError.self) { try Store(path: path) }
        #expect(error == .unsafeFile(.notOwned(path: path, owner: 65534, expected: 0)))
        #expect(Self.mode(path) == 0o644)
    }

    @Test func aNULInThePathIsRefusedNotTruncated() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let error = try #require(throws: StoreError.self) { try Store(path: dir.file("a\u{0}b.db")) }
        #expect(error == .unsafeFile(.nulInPath(path: dir.file("a\u{0}b.db"))))
        #expect(error.description.contains("a\\0b.db") && !error.description.contains("\u{0}"))
        #expect(access(dir.file("a"), F_OK) != 0)
    }

    @Test func aToolWritesItsFileWithoutFollowingALink() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let victim = dir.file("victim")
        _ = FileManager.default.createFile(atPath: victim, contents: Data("keep".utf8), attributes: [.posixPermissions: 0o644])
        #expect(symlink(victim, dir.file("out.pgcap")) == 0)
        #expect(throws: PrivateFile.Refusal.notRegularFile(path: dir.file("out.pgcap"), kind: "a symbolic link")) {
            _ = try PrivateFile.openForWriting(dir.file("out.pgcap"))
        }
        #expect(FileManager.default.contents(atPath: victim) == Data("keep".utf8))
        let fd = try PrivateFile.openForWriting(dir.file("new.pgcap"))
        close(fd)
        #expect(Self.mode(dir.file("new.pgcap")) == 0o600)
    }

    /// Whether another process can take SQLite's dead-man-switch lock on `-shm` (byte 128):
    /// "free" means no connection holds it any more.
    static func shmLockState(_ path: String) throws -> String {
        let code = "import fcntl, os\nfd = os.open('\(path)-shm', os.O_RDWR)\ntry:\n    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)\n"
            + "    print('free')\nexcept OSError:\n    print('held')\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", code]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func openingTheStoreAgainInTheSameProcessKeepsSQLitesLocks() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("pocgate.db")
        let first = try Store(path: path)
        _ = try first.insert(sampleReading(), sessionID: nil, receivedAtMillis: 1_000)
        #expect(try Self.shmLockState(path) == "held")
        // A second open (a tool in the daemon's process, `--show-patient-ids`' audit) checks the
        // same files; closing a real descriptor of them would drop the first connection's locks.
        let second = try Store(path: path)
        #expect(try Self.shmLockState(path) == "held")
        _ = try second.queueSummary()
        _ = try first.queueSummary()
    }
}
