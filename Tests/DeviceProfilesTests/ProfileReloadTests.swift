import Sessions
import DeviceProfiles
import Foundation
import PocGateCore
import Testing

/// The merge rules of a reload (`ProfileCatalog.load(directories:keeping:, families: .builtIn)`): a broken new
/// version keeps the old one, a removed file removes its profile, a new file adds one.
@Suite struct ProfileReloadTests {
    static func profile(_ id: String, version: Int = 1, vendor: String = "0x067b") -> String {
        """
        id: \(id)
        version: \(version)
        name: \(id)
        protocol: taidoc-td42xx
        match:
          usb:
            - vendor: \(vendor)
              product: 0x2303
        line:
          baud: 19200
        """
    }

    final class Directory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        func write(_ name: String, _ text: String) throws {
            let file = path + "/" + name
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        func remove(_ name: String) throws { try FileManager.default.removeItem(atPath: path + "/" + name) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func aBrokenNewVersionKeepsTheOldOneAndTheOthersReload() throws {
        let dir = try Directory()
        try dir.write("a/profile.yaml", Self.profile("meter-a"))
        try dir.write("b/profile.yaml", Self.profile("meter-b", vendor: "0x0403"))
        let (first, issues) = ProfileCatalog.load(directories: [dir.path], families: .builtIn)
        #expect(issues.isEmpty)
        // meter-a gets a typo; meter-b a valid new version.
        try dir.write("a/profile.yaml", Self.profile("meter-a", version: 2) + "\n  speed: 9600\n")
        try dir.write("b/profile.yaml", Self.profile("meter-b", version: 2, vendor: "0x0403"))
        let (second, problems, kept) = ProfileCatalog.load(directories: [dir.path], keeping: first, families: .builtIn)
        #expect(problems.count == 1 && problems.first?.file.hasSuffix("a/profile.yaml") == true)
        #expect(kept.map(\.id) == ["meter-a"])
        #expect(second.profile(id: "meter-a") == first.profile(id: "meter-a"), "the old version stays, unchanged")
        #expect(second.profile(id: "meter-b")?.version == 2)
        #expect(second.profiles.map(\.id) == ["meter-a", "meter-b"], "load order is kept")
        // Fixed again: the new version replaces the kept one.
        try dir.write("a/profile.yaml", Self.profile("meter-a", version: 3))
        let (third, none, keptNone) = ProfileCatalog.load(directories: [dir.path], keeping: second, families: .builtIn)
        #expect(none.isEmpty && keptNone.isEmpty)
        #expect(third.profile(id: "meter-a")?.version == 3)
    }

    @Test func aRemovedFileRemovesItsProfile() throws {
        let dir = try Directory()
        try dir.write("a.yaml", Self.profile("meter-a"))
        try dir.write("b.yaml", Self.profile("meter-b"))
        let (first, _) = ProfileCatalog.load(directories: [dir.path], families: .builtIn)
        try dir.remove("b.yaml")
        let (second, issues, kept) = ProfileCatalog.load(directories: [dir.path], keeping: first, families: .builtIn)
        #expect(issues.isEmpty && kept.isEmpty)
        #expect(second.profiles.map(\.id) == ["meter-a"])
    }

    @Test func aNewFileAddsItsProfile() throws {
        let dir = try Directory()
        try dir.write("a.yaml", Self.profile("meter-a"))
        let (first, _) = ProfileCatalog.load(directories: [dir.path], families: .builtIn)
        try dir.write("c/new.yaml", Self.profile("meter-c", vendor: "0x10c4"))
        let (second, issues, _) = ProfileCatalog.load(directories: [dir.path], keeping: first, families: .builtIn)
        #expect(issues.isEmpty)
        #expect(second.profiles.map(\.id) == ["meter-a", "meter-c"])
        let port = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x10c4, productID: 0x2303))
        #expect(first.match(port) == nil && second.match(port)?.id == "meter-c")
    }

    @Test func aBrokenNewFileAddsNothingAndAKeptIdNeverShadowsAValidOne() throws {
        let dir = try Directory()
        try dir.write("a.yaml", Self.profile("meter-a"))
        let (first, _) = ProfileCatalog.load(directories: [dir.path], families: .builtIn)
        // a.yaml breaks while z.yaml now defines meter-a validly: the valid one wins, once.
        try dir.write("a.yaml", "id: meter-a\nversion: [\n")
        try dir.write("n.yaml", "id: meter-n\n")
        try dir.write("z.yaml", Self.profile("meter-a", version: 5))
        let (second, issues, kept) = ProfileCatalog.load(directories: [dir.path], keeping: first, families: .builtIn)
        #expect(kept.map(\.id) == ["meter-a"])
        #expect(second.profiles.filter { $0.id == "meter-a" }.count == 1)
        #expect(issues.count == 3, "a.yaml, n.yaml and the duplicate z.yaml: \(issues)")
        #expect(second.profile(id: "meter-n") == nil)
    }
}
