import Daemon
import Foundation
import Glibc
import Logging
import Testing

/// The daemon refuses an unsafe store location at start with exit 78 (configuration refused,
/// not restarted by systemd) and says why, instead of blaming the storage.
@Suite("Start: unsafe store location")
struct StoreLocationStartTests {
    @Test func F3_storePathThatIsNotARegularFileStopsStartWith78() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-start-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/pocgate.db", 0o644) == 0)
        var config = GatewayConfig(uplinkURL: "https://center.example/fhir")
        config.storePath = dir + "/pocgate.db"
        config.profilePaths = []
        let error = try #require(throws: GatewayError.self) { _ = try Gateway(config: config, logger: Logger(label: "test")) }
        #expect(error.exitCode == 78)
        #expect(error.description.contains("a named pipe, not a regular file"), "\(error)")
        #expect(!error.description.contains("SD card"))
        var st = stat()
        #expect(lstat(dir + "/pocgate.db", &st) == 0 && st.st_mode & 0o777 == 0o644)
    }

    @Test func aSigningKeyPlantedAsALinkStopsStartWith78() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-start-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(symlink("/etc/hostname", dir + "/gateway.key") == 0)
        var config = GatewayConfig(uplinkURL: "https://center.example/fhir")
        config.storePath = dir + "/pocgate.db"
        let error = try #require(throws: GatewayError.self) { _ = try Gateway(config: config, logger: Logger(label: "test")) }
        #expect(error.exitCode == 78 && error.description.contains("symbolic link"))
    }
}
