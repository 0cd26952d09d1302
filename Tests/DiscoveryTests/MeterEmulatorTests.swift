import Testing
import TestSupport

/// The TaiDoc meter emulation is the oracle for dump tests; it checks itself against the
/// protocol file's vectors.
@Suite(.enabled(if: UmockdevHarness.isAvailable, "needs python3"))
struct MeterEmulatorTests {
    @Test func selfTestPasses() async throws {
        let (status, output) = try await UmockdevHarness.selfTest()
        #expect(status == 0, Comment(rawValue: output))
        #expect(output.contains(", 0 failures"), Comment(rawValue: output))
    }
}
