import Tools
import Sessions
import Transports
@testable import Daemon
import Foundation
import PocGateCore
import Store
import Testing
import Uplink

/// Undecoded records (`SessionSink.rejected`) from a device or a line sending junk frames by
/// the thousand: the log gets a bounded number of lines and the store a bounded number of
/// rows per session, while a real device's undecoded records are all kept over its sessions.
@Suite("StoreSink: undecoded record floods", .serialized)
struct StoreSinkProblemFloodTests {
    /// A sink for a new session of `f`'s store.
    static func nextSession(_ f: StoreSinkClockTests.Fixture) throws -> StoreSink {
        let key = GatewayKey(privateKey: Ed25519PrivateKey())
        let uplink = try Uplink(store: f.store, signer: BatchSigner(gatewayID: "gw", key: key),
                                settings: UplinkSettings(url: "https://center.example/fhir"), logger: f.lines.logger())
        let session = try f.store.beginSession(devnode: "/dev/ttyUSB0", profileID: "taidoc-td4277", startedAtMillis: 2)
        return StoreSink(store: f.store, sessionID: session, uplink: uplink, provenance: ReadingProvenance(),
                         clock: DeviceClockSettings(), logger: f.lines.logger(), stopRequested: { false }, progress: { _ in })
    }

    static func junk(_ i: Int) -> [UInt8] { [0x0B] + Array("AT+PWR? \(i)".utf8) + [0x1C, 0x0D] }

    @Test func junkFramesByTheThousandNeitherFloodTheLogNorGrowTheStoreWithoutBound() throws {
        let f = try StoreSinkClockTests.Fixture()
        defer { f.remove() }
        for i in 0..<5000 { f.sink.rejected("HL7 message rejected (AR): not an HL7 message", raw: Self.junk(i)) }
        // 10 one by one, then at 100 and 1000 undecoded records; once that the rest are not kept.
        #expect(f.lines.codes(.recordNotDecoded).count == ProblemTally.loggedOneByOne + 2)
        #expect(f.lines.codes(.undecodedRecordsNotKept) == [.warning])
        #expect(try f.store.recordProblems().count == ProblemTally.keptRowsLimit)
        #expect(f.sink.problems.seen == 5000 && f.sink.problems.notKept == 5000 - ProblemTally.keptRowsLimit)
    }

    /// Clinical risk: a meter of a model the profile does not list sends every record
    /// undecoded; capping what one session keeps must not lose the rest for ever.
    @Test func aMeterWithMoreUndecodedRecordsThanTheLimitHasThemAllKeptOverItsSessions() throws {
        let f = try StoreSinkClockTests.Fixture()
        defer { f.remove() }
        let memory = ProblemTally.keptRowsLimit + 200
        for i in 0..<memory { f.sink.rejected("model not listed", raw: Self.junk(i)) }
        #expect(try f.store.recordProblems().count == ProblemTally.keptRowsLimit)
        let next = try Self.nextSession(f)
        for i in 0..<memory { next.rejected("model not listed", raw: Self.junk(i)) }
        #expect(try f.store.recordProblems().count == memory)
        #expect(next.problems.keptRows == 200 && next.problems.notKept == 0)
    }

    /// A line sending junk session after session: the store-wide bound stops what the
    /// per-session one cannot. Logged once per session (PG-SES-015) and counted as not kept;
    /// the per-session line (PG-SES-014) is for the session's own limit only.
    @Test func junkOverManySessionsStopsAtTheStoresBound() throws {
        let f = try StoreSinkClockTests.Fixture(limits: StoreLimits(maxBytes: nil, problemRows: 1500))
        defer { f.remove() }
        for i in 0..<1200 { f.sink.rejected("junk", raw: Self.junk(i)) }
        #expect(f.lines.codes(.storeKeepsNoMoreProblems).isEmpty)
        var next = try Self.nextSession(f)
        for i in 1200..<4000 { next.rejected("junk", raw: Self.junk(i)) }
        #expect(try f.store.recordProblems().count == 1500)
        #expect(next.problems.keptRows == 500 && next.problems.notKept == 2300 && next.problems.refusedByStoreCount == 2300)
        #expect(f.lines.codes(.storeKeepsNoMoreProblems) == [.warning])
        #expect(f.lines.codes(.undecodedRecordsNotKept).count == 1, "only the first session reached its own limit")
        next = try Self.nextSession(f)
        for i in 4000..<4100 { next.rejected("junk", raw: Self.junk(i)) }
        #expect(f.lines.codes(.storeKeepsNoMoreProblems).count == 2, "once per session")
        #expect(next.problems.notKept == 100 && next.problems.keptRows == 0)
        // A record kept before is still recognised at the bound, not counted as refused.
        next.rejected("junk", raw: Self.junk(0))
        #expect(next.problems.notKept == 100)
        #expect(try f.store.recordProblems().count == 1500)
    }

    @Test func aRecordsBytesAreLoggedBoundedAndKeptWhole() throws {
        let f = try StoreSinkClockTests.Fixture()
        defer { f.remove() }
        let raw = [UInt8](repeating: 0x41, count: 100_000)
        f.sink.rejected("oversized", raw: raw)
        let hex = ProblemTally.loggedHex(raw)
        #expect(hex.count < 2 * ProblemTally.loggedBytesLimit + 32 && hex.hasSuffix("…(100000 bytes)"))
        #expect(try f.store.recordProblems().first?.raw == raw)
    }

    @Test func oneLinePerPowerOfTenPastTheFirstOnes() {
        var tally = ProblemTally()
        var milestones: [Int] = []
        for i in 1...100_000 where tally.arrive(size: 0).milestone { milestones.append(i) }
        #expect(milestones == [100, 1000, 10_000, 100_000])
    }
}
