import Foundation
import Glibc
import Store
import Testing
@testable import Uplink

/// The signing key is held to 0600 like the database, and never read or re-moded through a link.
@Suite("Gateway key: the file")
struct GatewayKeyFileTests {
    static func mode(_ path: String) -> mode_t {
        var st = stat()
        _ = lstat(path, &st)
        return st.st_mode & 0o7777
    }

    @Test func F11_restoredSigningKeyWith0644IsTightenedAndReported() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.directory + "/gateway.key"
        let made = try GatewayKey.loadOrCreate(path: path)
        #expect(Self.mode(path) == 0o600)
        // Restored from a backup with the umask's mode.
        #expect(chmod(path, 0o644) == 0)
        var reported: [UInt32] = []
        let again = try GatewayKey.loadOrCreate(path: path, tightened: { reported.append($0) })
        #expect(again.privateKey.rawRepresentation == made.privateKey.rawRepresentation)
        #expect(Self.mode(path) == 0o600)
        #expect(reported == [0o644])
        // Already private: nothing to report.
        _ = try GatewayKey.loadOrCreate(path: path, tightened: { reported.append($0) })
        #expect(reported == [0o644])
    }

    @Test func aKeyPlantedAsALinkIsRefusedNotFollowed() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let elsewhere = fixture.directory + "/elsewhere.key"
        _ = try GatewayKey.loadOrCreate(path: elsewhere)
        #expect(chmod(elsewhere, 0o644) == 0)
        let path = fixture.directory + "/gateway.key"
        #expect(symlink(elsewhere, path) == 0)
        let error = try #require(throws: GatewayKeyError.self) { try GatewayKey.loadOrCreate(path: path) }
        #expect(error == .unsafe(.notRegularFile(path: path, kind: "a symbolic link")))
        #expect(Self.mode(elsewhere) == 0o644)
        #expect(throws: GatewayKeyError.self) { try GatewayKey.load(path: path) }
    }

    @Test func anOversizedKeyFileIsRefusedWithoutReadingItAll() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.directory + "/gateway.key"
        _ = FileManager.default.createFile(atPath: path, contents: Data(count: 1 << 20), attributes: [.posixPermissions: 0o600])
        #expect(throws: GatewayKeyError.malformed(path: path)) { try GatewayKey.load(path: path) }
    }
}
