import Daemon
import Tools
import Sessions
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// The TaiDoc/FORA family through the real daemon: an emulated device on a PL2303 cable under
/// umockdev (written from FORA's published record layouts), the shipped profiles (four of them
/// claim that cable id and are told apart by the model reply), the store, and the HTTPS FHIR
/// receiver.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct TaiDocFamilyEndToEndTests {
    /// Every Observation's `code|value-or-components|unit`, plus its effective time.
    static func lines(_ received: [[String: Any]]) -> [String] {
        received.map { o in
            let code = (((o["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String) ?? "?"
            let time = o["effectiveDateTime"] as? String ?? "?"
            if let parts = o["component"] as? [[String: Any]] {
                let text = parts.map { c -> String in
                    let cc = (((c["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String) ?? "?"
                    let q = c["valueQuantity"] as? [String: Any]
                    return "\(cc)=\((q?["value"] as? NSNumber)?.stringValue ?? "?")"
                }.joined(separator: ",")
                return "\(time)|\(code)|\(text)"
            }
            let q = o["valueQuantity"] as? [String: Any]
            return "\(time)|\(code)|\(o["_value_text"] as? String ?? "?")|\(q?["code"] as? String ?? "?")"
        }
    }

    /// What the center must receive for the emulated memory (written from the harness's own
    /// record list, not from the decoder).
    static func wanted(_ expected: ExpectedMeter) -> [String] {
        expected.records.flatMap { r -> [String] in
            let time = "\(r.time)+08:00"
            switch r.kind ?? "glucose" {
            case "blood-pressure":
                var parts = "8480-6=\(r.value),8462-4=\(r.diastolic ?? -1)"
                if let mean = r.mean, mean > 0 { parts += ",8478-0=\(mean)" }
                return ["\(time)|85354-9|\(parts)", "\(time)|8867-4|\(r.pulse ?? -1)|/min"]
            case "thermometer":
                return ["\(time)|8310-5|\(ExactDecimal(mantissa: Int64(r.value), scale: 1))|Cel"]
            default:
                let mmol = AnalyteConversion.glucose.convert(ExactDecimal(r.value), from: "mg/dL", to: "mmol/L")!
                return ["\(time)|14743-9|\(mmol)|mmol/L"]
            }
        }
    }

    /// Clinical risk: a 2-in-1 meter's blood pressure uploaded as glucose (120/80 → 120 mg/dL).
    /// Its blood-pressure records reach the center as BP panels and heart rates, its glucose
    /// records as glucose, each exactly once; the replug on another port sends nothing new.
    @Test func aTwoInOneMetersBloodPressureArrivesAsPanelAndHeartRateNeverAsGlucose() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 12)
        options.meterModel = "3261"
        options.memory = "two-in-one"
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent a command that changes the meter")
        let received = receiver.receivedObservations()
        #expect(received.allSatisfy { $0["_status"] as? String == "201" }, "something was sent twice")
        #expect(Self.lines(received).sorted() == Self.wanted(run.expected).sorted())
        let bloodPressure = run.expected.records.filter { $0.kind == "blood-pressure" }
        #expect(bloodPressure.count == 6 && bloodPressure.contains { $0.irregular == true })
        // No blood-pressure record's systolic value arrived as a glucose Observation.
        let glucoseTimes = Set(Self.lines(received).filter { $0.contains("|14743-9|") }.map { $0.prefix(25) })
        #expect(bloodPressure.allSatisfy { !glucoseTimes.contains("\($0.time)+08:00".prefix(25)) })
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["PROFILE"] } == ["fora-2in1", "fora-2in1"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["12", "0"], "\(sessions)")
        #expect(stderr.contains("probed taidoc-td4277 (silent), fora-2in1 (answered: model 3261)"), "\(stderr)")
        let stats = try gateway.stats()
        #expect(stats.readings == 18 && stats.pending == 0)
    }

    /// Clinical risk: a thermometer's 37.0 °C uploaded as glucose 370 mg/dL.
    @Test func aThermometerArrivesAsBodyTemperature() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 6)
        options.meterModel = "1242"
        options.memory = "thermometer"
        options.untilLogLine = "dump complete"
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty)
        let received = receiver.receivedObservations()
        #expect(Self.lines(received).sorted() == Self.wanted(run.expected).sorted())
        #expect(received.count == 6 && Self.lines(received).allSatisfy { $0.contains("|8310-5|") && $0.hasSuffix("|Cel") })
        #expect(GatewayUnderTest.sessionLines(run.daemonStderr).map { $0["PROFILE"] } == ["fora-ir-thermometer"])
        // Bridge tie: four TaiDoc/FORA profiles and two LifeScan ones claim the PL2303 id; in
        // probe_order each sends only its read-only identification request, and only the
        // profile listing the thermometer's model is answered.
        #expect(run.daemonStderr.contains(
            "probed taidoc-td4277 (silent), fora-2in1 (silent), fora-bp-monitor (silent), fora-ir-thermometer (answered: model 1242)"),
            "\(run.daemonStderr)")
        let heard = run.result.phases.first?.framesReceived ?? []
        #expect(heard.prefix(4).allSatisfy { $0 == "512400000000a318" }, "only read-model requests while probing: \(heard.prefix(5))")
    }

    /// Clinical risk: a device whose model its profile does not list (here a 2-in-1 on a port
    /// only the glucose-meter profile claims) read as glucose. Nothing is uploaded; the PG-SES-011
    /// line names the model; every record is kept with its bytes and `pocgate queue` shows them.
    @Test func anUnlistedModelIsKeptAsProblemsAndNeverUploadedAsGlucose() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-td-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        try FileManager.default.copyItem(atPath: UmockdevHarness.repositoryRoot.path + "/DeviceProfiles/taidoc/td4277/profile.yaml",
                                         toPath: profiles + "/td4277.yaml")
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 8)
        options.meterModel = "3261"
        options.memory = "two-in-one"
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(receiver.receivedObservations().isEmpty, "an unlisted model's records were uploaded")
        #expect(stderr.contains("CODE=PG-SES-011") && stderr.contains("MODEL=3261"), "\(stderr)")
        let store = try Store(path: gateway.storePath)
        #expect(try store.stats().readings == 0)
        let problems = try store.recordProblems()
        // Every record once, with its 16 bytes (time and value replies), also after the replug.
        #expect(problems.count == 8, "\(problems.map(\.reason))")
        #expect(problems.allSatisfy { $0.raw.count == 16 && $0.reason.contains("model 3261 is not listed") })
        #expect(try store.queueSummary().recordProblems == 8)
        #expect(stderr.components(separatedBy: "CODE=PG-SES-008").count - 1 == 8, "logged once per record, not per session")
    }
}
