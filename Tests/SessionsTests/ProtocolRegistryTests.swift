import DeviceProfiles
import Foundation
import FrameParsing
import Logging
import PocGateCore
import Sessions
import TestSupport
import Testing
import Transports

/// The driver table is the one place that knows the protocol families: these tests keep every
/// family complete (a docs page, an answer to "does it have a live session" that agrees with
/// its session factory) and every shipped profile folder documented.
@Suite struct ProtocolRegistryTests {
    static let root = HTTPSReceiver.repositoryRoot

    @Test func everyFamilyIsRegisteredOnceAndLoadsThroughTheFamilyTable() {
        let ids = ProtocolRegistry.drivers.map(\.family)
        #expect(Set(ids).count == ids.count, "a family registered twice")
        #expect(FamilyTable.builtIn.families == ids)
        for id in ids { #expect(ProtocolRegistry.driver(id)?.family == id) }
    }

    @Test func everyFamilyHasItsProtocolPageUnderDocsProtocols() {
        for driver in ProtocolRegistry.drivers {
            let page = driver.traits.docsPage
            #expect(page.hasPrefix("docs/protocols/") && page.hasSuffix(".md"), "\(driver.family): \(page)")
            #expect(FileManager.default.fileExists(atPath: "\(Self.root)/\(page)"), "\(driver.family) names \(page), which is missing")
        }
    }

    @Test func everyShippedProfileFolderHasItsReadme() throws {
        let base = "\(Self.root)/DeviceProfiles"
        let folders = try #require(FileManager.default.enumerator(atPath: base)).compactMap { $0 as? String }
            .filter { $0.hasSuffix("/profile.yaml") }.map { ($0 as NSString).deletingLastPathComponent }
        #expect(folders.count >= 20)
        for folder in folders {
            #expect(FileManager.default.fileExists(atPath: "\(base)/\(folder)/README.md"), "DeviceProfiles/\(folder) has no README.md")
        }
    }

    /// "Has a live session" has one answer: the profile's (settled from its family's traits
    /// when it loads) and the driver's factory agree for every shipped profile.
    @Test func theLiveSessionAnswerOfEveryShippedProfileMatchesItsDriver() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: ["\(Self.root)/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        var live = 0
        for profile in catalog.profiles {
            let driver = ProtocolRegistry.driver(for: profile)
            let context = SessionContext(link: ClosedLink(), profile: profile, logger: Logger(label: "test"),
                                         localNow: { LocalDateTime(year: 2024, month: 1, day: 1) }, fallbackSerial: "x")
            let session = driver.makeSession?(context)
            #expect((session != nil) == profile.hasLiveSession, "\(profile.id): profile says \(profile.hasLiveSession)")
            if session != nil { live += 1 }
        }
        #expect(live >= 15)
    }

    @Test func aFamilyWithoutASessionFactoryNeverClaimsALiveSession() {
        for driver in ProtocolRegistry.drivers {
            #expect((driver.makeSession == nil) == (driver.traits.liveSession == .never), "\(driver.family)")
        }
    }

    /// A declarative profile without `session.script` decodes captures only: the two answers
    /// that once disagreed (the family said live, the runner refused) are now the same.
    @Test func aDeclarativeProfileWithoutAScriptIsReplayOnly() throws {
        let text = try String(contentsOfFile: "\(Self.root)/DeviceProfiles/taidoc/td4277-declarative/profile.yaml", encoding: .utf8)
        let scripted = try DeviceProfile.parse(text, file: "t.yaml", families: .builtIn)
        #expect(scripted.hasLiveSession)
        var spec = try #require(scripted.declarative).spec
        spec.script = []
        var unscripted = scripted
        unscripted.declarative = DeclarativePlan(spec)
        let traits = try #require(FamilyTable.builtIn[.declarative])
        #expect(!traits.hasLiveSession(declarative: unscripted.declarative))
        #expect(ProtocolRegistry.driver(for: unscripted).makeSession?(SessionContext(
            link: ClosedLink(), profile: unscripted, logger: Logger(label: "test"),
            localNow: { LocalDateTime(year: 2024, month: 1, day: 1) }, fallbackSerial: "x")) == nil)
    }

    /// A link that is already gone: sessions are only constructed here, never run.
    final class ClosedLink: DeviceLink {
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { throw .unplugged(errno: 5) }
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int { throw .unplugged(errno: 5) }
        func discardInput() {}
        func close() {}
    }
}
