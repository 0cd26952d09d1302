import Foundation
import PocGateCore
import Testing
@testable import Store

@Suite("Store: control-solution results")
struct ControlSolutionStoreTests {
    @Test("a control-solution result is stored but never queued, so it never reaches the center as a patient's glucose")
    func controlIsKeptLocally() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("pocgate.db"))
        let control = sampleReading(key: "c", flags: [.controlSolution])
        let outcome = try store.insert(control, sessionID: nil, receivedAtMillis: 1_000)
        #expect(outcome.isNew)
        _ = try store.insert(sampleReading(key: "p", flags: []), sessionID: nil, receivedAtMillis: 1_001)
        let stats = try store.stats()
        #expect(stats.readings == 2 && stats.pending == 1)
        #expect(try store.queueSummary().controlResults == 1)
        #expect(try store.status().controlResults == 1)
        #expect(try store.status().pending == 1)
        // Re-reading the meter's memory does not queue it either.
        #expect(try store.insert(control, sessionID: nil, receivedAtMillis: 2_000) == .duplicate(id: outcome.id!))
        #expect(try store.stats().pending == 1)
    }

    @Test("a status file written before control results were counted still reads (as 0)")
    func oldStatusDecodes() throws {
        let old = #"{"readings":1,"pending":0,"delivered":1,"pendingWithError":0,"sessions":1,"schemaVersion":2}"#
        let status = try JSONDecoder().decode(StoreStatus.self, from: Data(old.utf8))
        #expect(status.controlResults == 0 && status.readings == 1)
    }
}
