import Testing
import FrameParsing
import PocGateCore

/// Measurement and context pairing as Glucose Service 1.0 orders them (a context follows its
/// measurement immediately, flag bit 4 announcing it).
@Suite struct GATTGlucoseAssemblerTests {
    static let withContext = Hex.parse("1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00")!   // seq 15, context follows
    static let context15 = Hex.parse("06 0F 00 01 41")!
    static let plain = Hex.parse("03 06 00 E4 07 04 0D 10 26 0A 00 00 78 B0 F1")!            // seq 6, no context

    static func readings(_ outcomes: [GATTGlucoseAssembler.Outcome]) -> [Reading] {
        outcomes.compactMap { if case let .reading(r) = $0 { return r } else { return nil } }
    }

    @Test func contextCompletesItsMeasurement() {
        var a = GATTGlucoseAssembler(profileID: "gls", serial: "S", model: "M")
        #expect(a.measurement(Self.withContext).isEmpty)
        #expect(a.waitingSequenceNumber == 15)
        let out = Self.readings(a.context(Self.context15))
        #expect(out.count == 1)
        #expect(out.first?.flags == [.beforeMeal, .stress])
        #expect(a.waitingSequenceNumber == nil)
        #expect(a.finish().isEmpty)
    }

    /// A context that never comes does not lose the measurement: the next value or the end of
    /// the transfer reads it without one.
    @Test func measurementWhoseContextNeverComesIsStillRead() {
        var a = GATTGlucoseAssembler(profileID: "gls", serial: "S", model: "M")
        _ = a.measurement(Self.withContext)
        let next = Self.readings(a.measurement(Self.plain))
        #expect(next.map(\.value) == [ExactDecimal(111), ExactDecimal(120)])
        _ = a.measurement(Self.withContext)
        #expect(Self.readings(a.finish()).map(\.value) == [ExactDecimal(111)])
    }

    @Test func strayContextAndUndecodableValuesAreKeptAsProblems() {
        var a = GATTGlucoseAssembler(profileID: "gls", serial: "S", model: "M")
        guard case let .problem(raw, _)? = a.context(Self.context15).first else { Issue.record("stray context"); return }
        #expect(raw == Self.context15)
        guard case let .problem(raw2, why)? = a.measurement([0x1B, 0x0F]).first else { Issue.record("short value"); return }
        #expect(raw2 == [0x1B, 0x0F])
        #expect(why.contains("sequence number"))
        // A context of another sequence number: the waiting measurement is read alone, the
        // context kept as a problem.
        _ = a.measurement(Self.withContext)
        let out = a.context(Hex.parse("06 10 00 01 41")!)
        #expect(out.count == 2)
        #expect(Self.readings(out).first?.flags == [])
    }
}
