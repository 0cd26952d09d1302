import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Glibc
import Logging
import Testing

/// The daemon refuses an unsafe store location at start with exit 77 (a file refused for its
/// type, owner or mode, as every command says it; not restarted by systemd) and says why,
/// instead of blaming the storage.
@Suite("Start: unsafe store location")
struct StoreLocationStartTests {
    @Test func F3_storePathThatIsNotARegularFileStopsStartWith77() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-start-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/pocgate.db", 0o644) == 0)
        var config = GatewayConfig(uplinkURL: "https://center.example/fhir")
        config.storePath = dir + "/pocgate.db"
        config.profilePaths = []
        let error = try #require(throws: GatewayError.self) { _ = try Gateway(config: config, logger: Logger(label: "test")) }
        #expect(error.exitCode == 77)
        #expect(error.description.contains("a named pipe, not a regular file"), "\(error)")
        #expect(!error.description.contains("SD card"))
        var st = stat()
        #expect(lstat(dir + "/pocgate.db", &st) == 0 && st.st_mode & 0o777 == 0o644)
    }

    @Test func aSigningKeyPlantedAsALinkStopsStartWith77() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-start-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(symlink("/etc/hostname", dir + "/gateway.key") == 0)
        var config = GatewayConfig(uplinkURL: "https://center.example/fhir")
        config.storePath = dir + "/pocgate.db"
        let error = try #require(throws: GatewayError.self) { _ = try Gateway(config: config, logger: Logger(label: "test")) }
        #expect(error.exitCode == 77 && error.description.contains("symbolic link"))
    }
}

/// The status file is written through a temporary file that is never a planted link.
@Suite("Status file: not written through a link")
struct StatusFileLinkTests {
    @Test func aLinkPlantedAsTheTemporaryFileIsRefusedNotFollowed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let victim = dir + "/victim"
        _ = FileManager.default.createFile(atPath: victim, contents: Data("keep".utf8), attributes: [.posixPermissions: 0o600])
        #expect(symlink(victim, dir + "/status.json.tmp") == 0)
        #expect(throws: StatusFileError.self) { try StatusFile(path: dir + "/status.json").write(StatusLineTests.status()) }
        #expect(FileManager.default.contents(atPath: victim) == Data("keep".utf8))
        var st = stat()
        #expect(stat(victim, &st) == 0 && st.st_mode & 0o777 == 0o600)
        // Without the link the file is written, readable by all (it holds no patient data).
        _ = unlink(dir + "/status.json.tmp")
        try StatusFile(path: dir + "/status.json").write(StatusLineTests.status())
        #expect(stat(dir + "/status.json", &st) == 0 && st.st_mode & 0o777 == 0o644)
    }
}
