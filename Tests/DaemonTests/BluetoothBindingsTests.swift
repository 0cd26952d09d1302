import Daemon
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The bindings file of `pocgate bt bind` (`bt-bindings` beside the store): what the daemon
/// reads at start and at each reload, and what the tool rewrites.
@Suite struct BluetoothBindingsTests {
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-bindings-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aBindingSurvivesWriteAndReadWithItsProfileAndCanonicalAddress() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = BluetoothBindings.path(forStore: dir + "/pocgate.db")
        #expect(path == dir + "/bt-bindings")
        #expect(try BluetoothBindings.load(path: path).bindings.isEmpty, "no file: nothing bound")
        var b = try BluetoothBindings.parse("# comment\n00:12:a1:32:28:01 generic-spp-bp-monitor\n\n  AA:BB:CC:DD:EE:FF  # no profile\n")
        #expect(b.bindings == [.init(address: "00:12:A1:32:28:01", profile: "generic-spp-bp-monitor"), .init(address: "AA:BB:CC:DD:EE:FF")])
        #expect(try b.bind(.init(address: "AA:BB:CC:DD:EE:FF")) == false, "bound already: nothing changes")
        try b.save(path: path)
        #expect(try BluetoothBindings.load(path: path) == b)
        #expect(b.unbind("AA:BB:CC:DD:EE:FF") && !b.unbind("AA:BB:CC:DD:EE:FF"))
    }

    /// Risk: a bindings file readable by every user (it lists the clinic's devices) or left
    /// half-written by a crash. Written 0600 whatever the umask and the old file's mode, through
    /// a new file renamed over the old one: no temporary file stays behind.
    @Test func theFileIsWrittenMode0600AndReplacedWhole() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bt-bindings"
        try "AA:BB:CC:DD:EE:FF\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o644)
        var st = stat()
        stat(path, &st)
        let before = st.st_ino
        let old = umask(0)
        defer { umask(old) }
        try BluetoothBindings([.init(address: "00:12:A1:32:28:01")]).save(path: path)
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(st.st_ino != before, "a new file renamed over the old one, never rewritten in place")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["bt-bindings"])
        #expect(try BluetoothBindings.load(path: path).bindings.map(\.address) == ["00:12:A1:32:28:01"])
    }

    /// Risk: a symbolic link planted at the bindings path makes root's `bt bind` overwrite the
    /// file it points to, or the daemon read another file. Both refuse; the target is untouched.
    @Test func aSymbolicLinkAtThePathIsRefusedNotFollowed() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/target"
        try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
        let path = dir + "/bt-bindings"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        #expect(throws: BluetoothBindingsError.unsafe(path: path, reason: "is a symbolic link")) {
            try BluetoothBindings([.init(address: "00:12:A1:32:28:01")]).save(path: path)
        }
        #expect(throws: BluetoothBindingsError.unsafe(path: path, reason: "is a symbolic link")) {
            _ = try BluetoothBindings.load(path: path)
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
    }

    /// Risk: a file others may write lets any local user make the gateway connect a device.
    @Test func aFileOthersMayWriteIsRefused() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bt-bindings"
        try "00:12:A1:32:28:01\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o622)
        #expect(throws: BluetoothBindingsError.self) { _ = try BluetoothBindings.load(path: path) }
    }

    /// Bad content gives the line and what is wrong, never a partial set of bindings.
    @Test func badContentIsRefusedWithItsLine() {
        #expect(throws: BluetoothBindingsError.badLine(path: nil, line: 2, reason: "'00:12:A1:32:28' is not a Bluetooth address")) {
            _ = try BluetoothBindings.parse("AA:BB:CC:DD:EE:FF\n00:12:A1:32:28\n")
        }
        #expect(throws: BluetoothBindingsError.badLine(path: nil, line: 1, reason: "expected ADDRESS [PROFILE], found 3 fields")) {
            _ = try BluetoothBindings.parse("AA:BB:CC:DD:EE:FF p extra\n")
        }
        #expect(throws: BluetoothBindingsError.badLine(path: nil, line: 1, reason: "'Bad/Id' is not a profile id")) {
            _ = try BluetoothBindings.parse("AA:BB:CC:DD:EE:FF Bad/Id\n")
        }
        #expect(throws: BluetoothBindingsError.badLine(path: nil, line: 2, reason: "AA:BB:CC:DD:EE:FF is bound twice")) {
            _ = try BluetoothBindings.parse("AA:BB:CC:DD:EE:FF\naa:bb:cc:dd:ee:ff\n")
        }
        let message = "\(BluetoothBindingsError.badLine(path: "/var/lib/pocgate/bt-bindings", line: 2, reason: "x"))"
        #expect(message.hasPrefix("/var/lib/pocgate/bt-bindings:2: x"))
    }

    /// Risk: `bt bind --profile` records an id the daemon then refuses, losing every binding of
    /// the file. Ids hold what profile ids may (capitals too) and are read back; one the file
    /// cannot hold is refused before anything is written.
    @Test func everyProfileIDABindingRecordsIsReadBack() throws {
        var b = BluetoothBindings()
        #expect(try b.bind(.init(address: "AA:BB:CC:DD:EE:FF", profile: "Clinic-BP.2")))
        #expect(try BluetoothBindings.parse(b.serialized()) == b)
        #expect(throws: BluetoothBindingsError.unusableProfileID(String(repeating: "p", count: 129))) {
            _ = try b.bind(.init(address: "11:22:33:44:55:66", profile: String(repeating: "p", count: 129)))
        }
    }

    /// Risk: an oversized or runaway file read whole into memory, or hundreds of devices polled.
    @Test func sizeAndCountAreBounded() throws {
        let many = (0..<(BluetoothBindings.maximumCount + 1)).map { String(format: "00:00:00:00:%02X:%02X\n", $0 / 256, $0 % 256) }.joined()
        #expect(throws: BluetoothBindingsError.tooMany(path: nil, count: BluetoothBindings.maximumCount + 1)) {
            _ = try BluetoothBindings.parse(many)
        }
        var full = try BluetoothBindings.parse((0..<BluetoothBindings.maximumCount).map { String(format: "00:00:00:00:00:%02X\n", $0) }.joined())
        #expect(throws: BluetoothBindingsError.tooMany(path: nil, count: BluetoothBindings.maximumCount + 1)) {
            _ = try full.bind(.init(address: "11:22:33:44:55:66"))
        }
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bt-bindings"
        try String(repeating: "#", count: BluetoothBindings.maximumBytes + 1).write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o600)
        #expect(throws: BluetoothBindingsError.tooLarge(path: path, bytes: BluetoothBindings.maximumBytes + 1)) {
            _ = try BluetoothBindings.load(path: path)
        }
    }
}
