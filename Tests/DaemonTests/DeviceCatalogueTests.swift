import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Testing

/// docs/DEVICES.md lists every shipped profile; it is generated, and this test keeps it current.
@Suite struct DeviceCatalogueTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func catalogueMatchesTheShippedProfiles() throws {
        let generated = DeviceCatalogue.markdown(root: Self.repo + "/DeviceProfiles")
        let path = Self.repo + "/docs/DEVICES.md"
        if ProcessInfo.processInfo.environment["POCGATE_UPDATE_DOCS"] == "1" {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let committed = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(committed == generated, "docs/DEVICES.md is stale: run POCGATE_UPDATE_DOCS=1 swift test --filter DeviceCatalogueTests")
        #expect(!generated.contains("Profiles that did not load"))
    }
}
