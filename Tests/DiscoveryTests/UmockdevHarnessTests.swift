import Foundation
import Testing
import TestSupport

/// The harness itself, driven by `Tests/Harness/reference_host.py` (a minimal Python
/// TaiDoc host), so gateway tests can rely on its phases, waits and violation reports.
@Suite(.enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and python3-gi"),
       .timeLimit(.minutes(3)))
struct UmockdevHarnessTests {
    private let host = UmockdevHarness.repositoryRoot.appendingPathComponent("Tests/Harness/reference_host.py").path

    @Test func unplugMidDumpCutsThePhaseAndReplugServesTheWholeMemory() async throws {
        var options = UmockdevOptions()
        options.records = 25
        options.cutAfter = 8
        options.untilLogLine = "dump complete /dev/ttyUSB1"
        options.settle = 0.2
        options.timeout = 90
        let run = try await UmockdevHarness.run(.unplugMidDump, options: options,
                                                command: ["/usr/bin/python3", host, "/dev/ttyUSB0", "/dev/ttyUSB1"])
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        #expect(run.result.violations.isEmpty)
        #expect(run.expected.records.count == 25)
        #expect(run.expected.records.first?.localTime?.description == "2024-06-15T08:30:00")
        #expect(run.result.phases.map(\.port.devnode) == ["/dev/ttyUSB0", "/dev/ttyUSB1"])

        let cut = try #require(run.result.phases.first)
        let served = Set(cut.valuesServed ?? [])
        #expect(served.count >= 8 && served.count < 25, "port A is pulled mid-dump")
        #expect(cut.unpluggedAt != nil)
        #expect(run.daemonStdout.contains("io error /dev/ttyUSB0"), Comment(rawValue: run.diagnostics))

        let replug = try #require(run.result.phases.last)
        #expect(replug.valuesServed == Array(0..<25))
        #expect(replug.timesServed == Array(0..<25))
        #expect(replug.poweredOff == true)
        #expect(replug.framesReceived?.first == "512200000000a316")
        #expect(run.result.daemon?.signal == 15 && run.result.daemon?.killed == false)
    }

    @Test func forbiddenCommandsAreReportedAsViolations() async throws {
        var options = UmockdevOptions()
        options.records = 3
        options.untilLogLine = "dump complete"
        options.settle = 0.2
        options.timeout = 60
        let run = try await UmockdevHarness.run(.plug, options: options,
                                                command: ["/usr/bin/python3", host, "--forbidden", "/dev/ttyUSB0"])
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        #expect(run.result.violations.map(\.command) == ["0x52", "0x33"])
        #expect(run.result.violations.first?.frame == "515200000000a346")
        #expect(run.result.phases.first?.valuesServed == [0, 1, 2])
    }
}
