import Foundation
import Store
import Testing

/// Records a device sent that were not decoded are kept with their bytes, once.
@Suite struct RecordProblemTests {
    /// Risk: an undecoded record silently lost, or stored again by every later session.
    @Test func anUndecodedRecordIsKeptOnceWithItsBytes() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        let raw: [UInt8] = [0x51, 0x25, 0xCF, 0x30, 0x9E, 0x08, 0xA5, 0xC0]
        #expect(try store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "model 3261 is not listed", raw: raw, atMillis: 1))
        #expect(try !store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "model 3261 is not listed", raw: raw, atMillis: 2))
        #expect(try store.keepProblem(sessionID: nil, profileID: "p", deviceSerial: "S", reason: "model 3261 is not listed", raw: raw + [0], atMillis: 3))
        let kept = try store.recordProblems()
        #expect(kept.map(\.raw) == [raw, raw + [0]])
        #expect(kept.first?.firstSeenAtMillis == 1)
        #expect(try store.queueSummary().recordProblems == 2)
        #expect(try store.stats().readings == 0, "a problem is never a reading")
    }
}
