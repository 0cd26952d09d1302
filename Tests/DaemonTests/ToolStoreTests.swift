import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Testing

/// A tool never creates the daemon's database: run as root before the first start it would
/// leave a root-owned file the service user cannot open, and on a mistyped store.path it would
/// report "pending: 0" from an empty new database instead of the real queue.
@Suite struct ToolStoreTests {
    @Test("queue on a store path that does not exist creates nothing and exits 66 with the reason")
    func aToolOnAMissingStoreCreatesNothingAndExits66() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-tool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = dir + "/pocgate.yaml"
        try "store:\n  path: \(dir)/pocgat.db\nuplink:\n  url: https://center.example.cn/fhir\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let failure = try #require(throws: QueueTool.Failure.self) { _ = try QueueTool.openStore(configPath: config) }
        #expect(failure.exitCode == 66)
        #expect(failure.description.contains("no database at \(dir)/pocgat.db") && failure.description.contains("mistyped"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["pocgate.yaml"])
    }

    @Test("the same cause gives the same exit code in every tool", arguments: [
        (QueueTool.Failure.config("configuration refused"), Int32(78)),
        (QueueTool.Failure.noStore("no database"), Int32(66)),
        (QueueTool.Failure.input("not a valid resident ID"), Int32(65)),
        (QueueTool.Failure.store(.unsafeFile(.notRegularFile(path: "/x", kind: "a symbolic link"))), Int32(77)),
        (QueueTool.Failure.store(.sqlite(code: 5, message: "database is locked", context: "x")), Int32(75)),
    ])
    func causesMapToSysexits(failure: QueueTool.Failure, code: Int32) {
        #expect(failure.exitCode == code)
    }
}
