import Tools
import Sessions
import Transports
@testable import Daemon
import DeviceProfiles
import Foundation
import Logging
import PocGateCore
import Store
import Synchronization
import TestSupport
import Testing
import Uplink

/// Patient association end to end in the daemon: `patients.*` config, the live session's
/// holds and logs, `pocgate bind`/`unbind`/`bindings`/`queue release`, and `pocgate status` —
/// with resident IDs never shown unmasked.
@Suite("Daemon: patients", .serialized)
struct PatientBindingTests {
    /// Every log line as text (message and metadata after redaction, as both backends write).
    final class Lines: Sendable {
        let storage = Mutex<[(code: String, text: String)]>([])
        func logger() -> Logger { Logger(label: "test") { _ in Handler(lines: self) } }
        func codes(_ code: LogCode) -> Int { storage.withLock { $0.filter { $0.code == code.rawValue }.count } }
        var all: String { storage.withLock { $0.map(\.text).joined(separator: "\n") } }
        struct Handler: LogHandler {
            let lines: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let redactor = LogRedactor()
                let meta = redactor.redact(event.metadata ?? [:])
                let text = redactor.redact("\(event.message)") + " " + meta.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
                lines.storage.withLock { $0.append((event.metadata?["code"].map { "\($0)" } ?? "", text)) }
            }
        }
    }

    struct Fixture {
        let dir: String
        let configPath: String
        let store: Store
        let lines = Lines()

        init(binding: PatientBinding = .gateway) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-pat-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            configPath = dir + "/pocgate.yaml"
            try """
                uplink:
                  url: https://center.example/fhir
                store:
                  path: \(dir)/pocgate.db
                status:
                  path: \(dir)/status.json
                patients:
                  binding: \(binding.rawValue)
                """.write(toFile: configPath, atomically: true, encoding: .utf8)
            store = try Store(path: dir + "/pocgate.db")
        }

        func sink(_ binding: PatientBinding) throws -> StoreSink {
            let key = GatewayKey(privateKey: Ed25519PrivateKey())
            let uplink = try Uplink(store: store, signer: BatchSigner(gatewayID: "gw", key: key),
                                    settings: UplinkSettings(url: "https://center.example/fhir"), logger: lines.logger())
            let session = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "p", startedAtMillis: 1)
            return StoreSink(store: store, sessionID: session, uplink: uplink, provenance: ReadingProvenance(),
                             patients: binding, logger: lines.logger(), stopRequested: { false }, progress: { _ in })
        }

        func remove() { try? FileManager.default.removeItem(atPath: dir) }
    }

    static func reading(_ key: String, serial: String = "METER-1", patient: String? = nil) -> Reading {
        let now = LocalDateTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + 8 * 3600 - 600)
        return Reading(profileID: "p", deviceSerial: serial, deviceModel: "M", recordKey: key, kind: .glucose, code: "14743-9",
                       value: ExactDecimal(parsing: "5.6")!, unit: "mmol/L", deviceTime: now, flags: [], raw: [1],
                       patientID: patient)
    }

    static let other: String = {
        let first17 = "11010119800101001"
        return first17 + String(ResidentID.checkCharacter(forFirst17: first17.map { $0.wholeNumberValue! }))
    }()

    @Test("config: patients.binding defaults to center, takes gateway, and refuses anything else naming the key")
    func config() throws {
        let base = "uplink:\n  url: https://center.example/fhir\n"
        let c = try GatewayConfig.parse(base, file: "c.yaml")
        #expect(c.patientBinding == .center && c.patientIdentifierSystem == "urn:oid:2.16.156.10011.1.3")
        let g = try GatewayConfig.parse(base + "patients:\n  binding: gateway\n  identifier_system: urn:oid:1.2.3\n", file: "c.yaml")
        #expect(g.patientBinding == .gateway && g.uplinkSettings.patientIdentifierSystem == "urn:oid:1.2.3")
        for bad in ["patients:\n  binding: device\n", "patients:\n  identifier_system: resident id\n", "patients:\n  bind: gateway\n"] {
            let error = try #require(throws: YAMLIssue.self) { try GatewayConfig.parse(base + bad, file: "c.yaml") }
            #expect("\(error)".contains("c.yaml") && "\(error)".contains(bad.contains("bind:") ? "bind" : "patients"))
        }
    }

    @Test("unbound upload: a reading from an unbound meter is stored, held, logged once (PG-PAT-001) and shown in status")
    func unboundMeterIsHeld() throws {
        let f = try Fixture()
        defer { f.remove() }
        let sink = try f.sink(.gateway)
        #expect(try sink.received(Self.reading("a")))
        #expect(try sink.received(Self.reading("b")))
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: .max / 2).isEmpty)
        #expect(f.lines.codes(.patientUnbound) == 1)
        let config = try GatewayConfig.load(file: f.configPath)
        let report = StatusReport.gather(config: config, maxAge: .seconds(86_400))
        #expect(report.problems.contains { $0.contains("2 readings held back: their device is bound to no patient") && $0.contains("pocgate bind") })
        #expect(report.text().contains("held (patient): 2 (unbound 2)"))
    }

    @Test("invalid ID: a device-supplied ID with a wrong check character is held (PG-PAT-002), logged and shown masked only")
    func invalidSuppliedIDHeldAndMasked() throws {
        let f = try Fixture(binding: .center)
        defer { f.remove() }
        let sink = try f.sink(.center)
        let wrong = "110101190001010013"
        #expect(try sink.received(Self.reading("a", patient: wrong)))
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: .max / 2).isEmpty)
        #expect(f.lines.codes(.patientIDInvalid) == 1)
        #expect(ResidentIDs.unmasked(in: f.lines.all).isEmpty)
        #expect(f.lines.all.contains("1101************13"))
        let report = StatusReport.gather(config: try GatewayConfig.load(file: f.configPath), maxAge: .seconds(86_400))
        #expect(report.problems.contains { $0.contains("not a valid resident ID") })
        #expect(ResidentIDs.unmasked(in: report.text() + report.json()).isEmpty)
    }

    @Test("invalid ID: pocgate bind refuses a mistyped resident ID with a message, masked, and changes nothing")
    func bindRefusesInvalid() throws {
        let f = try Fixture()
        defer { f.remove() }
        let error = try #require(throws: QueueTool.Failure.self) {
            try BindingTool.bind(serial: "METER-1", patientID: "110101190001010013", rebind: false, configPath: f.configPath,
                                 logger: f.lines.logger())
        }
        #expect(error.description.contains("not a valid resident ID") && error.description.contains("check character"))
        #expect(ResidentIDs.unmasked(in: error.description).isEmpty)
        #expect(try f.store.bindings().isEmpty)
    }

    @Test("wrong patient: bind releases the held readings once for the bound patient; re-binding needs --rebind; all audited and masked")
    func bindReleaseRebindAudit() throws {
        let f = try Fixture()
        defer { f.remove() }
        let sink = try f.sink(.gateway)
        _ = try sink.received(Self.reading("a"))
        let text = try BindingTool.bind(serial: "METER-1", patientID: ResidentIDs.sample, rebind: false, configPath: f.configPath,
                                        logger: f.lines.logger())
        #expect(text.contains("bound to \(ResidentIDs.masked)") && text.contains("1 held readings released"))
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: .max / 2).map(\.subjectPatientID) == [ResidentIDs.sample])
        let refused = try #require(throws: QueueTool.Failure.self) {
            try BindingTool.bind(serial: "METER-1", patientID: Self.other, rebind: false, configPath: f.configPath, logger: f.lines.logger())
        }
        #expect(refused.description.contains("--rebind"))
        _ = try BindingTool.bind(serial: "METER-1", patientID: Self.other, rebind: true, configPath: f.configPath, logger: f.lines.logger())
        let unbound = try BindingTool.unbind(serial: "METER-1", configPath: f.configPath, logger: f.lines.logger())
        #expect(unbound.contains("unbound"))
        let listing = try BindingTool.list(configPath: f.configPath, audit: true)
        #expect(listing.contains("unbind") && listing.contains("rebind") && listing.contains("bind"))
        #expect(listing.contains(ResidentIDs.masked) && listing.contains(ResidentID.masked(Self.other)))
        for output in [text, listing, f.lines.all] { #expect(ResidentIDs.unmasked(in: output).isEmpty) }
        #expect(f.lines.codes(.patientBindingChanged) == 3)
    }

    /// One ECG as a cart sends it (waveform, heart rate) with `patient` as the cart's patient field.
    static func ecg(patient: String?) -> [Reading] {
        let time = LocalDateTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + 8 * 3600 - 600)
        let base = "ecg|\(time)|\(patient == nil ? "none" : "0123456789abcdef")|"
        let waveform = Waveform(periodMillis: ExactDecimal(2), factor: ExactDecimal(5), leads: [WaveformLead(name: "I", samples: [1, 2])])
        return [
            Reading(profileID: "cart", deviceSerial: "ECG-7", deviceModel: "PGC12", recordKey: base + "ecg-waveform|d", kind: .ecgWaveform,
                    code: "11524-6", value: ExactDecimal(1), unit: "uV", deviceTime: time, flags: [], raw: [1], patientID: patient,
                    waveform: waveform),
            Reading(profileID: "cart", deviceSerial: "ECG-7", deviceModel: "PGC12", recordKey: base + "ecg-heart-rate|72",
                    kind: .ecgHeartRate, code: "8867-4", value: ExactDecimal(72), unit: "/min", deviceTime: time, flags: [], raw: [1],
                    patientID: patient),
        ]
    }

    @Test("upload without a subject: an ECG with no resident ID is held (PG-PAT-006), and released after 'pocgate queue attach', audited and masked")
    func ecgHeldThenAttached() throws {
        let f = try Fixture(binding: .center)
        defer { f.remove() }
        let sink = try f.sink(.center)
        for reading in Self.ecg(patient: nil) { #expect(try sink.received(reading)) }
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: .max / 2).isEmpty)
        #expect(f.lines.codes(.ecgWithoutPatient) == 1)
        let report = StatusReport.gather(config: try GatewayConfig.load(file: f.configPath), maxAge: .seconds(86_400))
        #expect(report.problems.contains { $0.contains("2 ECG readings held back") })
        let held = try AttachTool.held(configPath: f.configPath)
        #expect(held.contains("ecg-waveform") && held.contains("no-patient-id"))
        let refused = try #require(throws: QueueTool.Failure.self) {
            try AttachTool.attach(readingID: 1, patientID: "110101190001010013", configPath: f.configPath, logger: f.lines.logger())
        }
        #expect(refused.description.contains("not a valid resident ID"))
        let text = try AttachTool.attach(readingID: 1, patientID: ResidentIDs.sample, configPath: f.configPath, logger: f.lines.logger())
        #expect(text.contains(ResidentIDs.masked) && text.contains("2 released"))
        let rows = try f.store.batchCandidates(limit: 10, nowMillis: .max / 2)
        #expect(rows.map(\.subjectPatientID) == [ResidentIDs.sample, ResidentIDs.sample])
        // Uploaded with the patient as subject.
        let body = try FHIRBundlePreview(settings: UplinkSettings(url: "https://center.example/fhir")).body(for: rows)
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let subjects = (bundle["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["subject"] as? [String: Any] }
        #expect(subjects.count == 2 && subjects.allSatisfy { ($0["identifier"] as? [String: String])?["value"] == ResidentIDs.sample })
        #expect(f.lines.codes(.patientAttached) == 1)
        let audit = try BindingTool.list(configPath: f.configPath, audit: true)
        #expect(audit.contains("attach") && audit.contains(ResidentIDs.masked))
        for output in [held, text, audit, f.lines.all] { #expect(ResidentIDs.unmasked(in: output).isEmpty) }
        #expect(try AttachTool.held(configPath: f.configPath) == "no reading is waiting for its patient")
    }

    @Test("pocgate queue release: an unknown reason is refused; a clock-held reading is released once the clock is fixed, and audited")
    func releaseCommand() throws {
        let f = try Fixture(binding: .center)
        defer { f.remove() }
        let reading = Self.reading("a")
        let verdict = DeviceTimeVerdict(deviceTime: LocalDateTime(year: 2000, month: 1, day: 1), deviceClock: LocalDateTime(year: 2000, month: 1, day: 1),
                                        gatewayClock: reading.deviceTime, policy: ClockPolicy())
        #expect(verdict.hold == .clockReset)
        _ = try f.store.insert(reading, sessionID: nil, receivedAtMillis: 1, time: verdict)
        #expect(throws: QueueTool.Failure.self) {
            try BindingTool.release(reason: "everything", configPath: f.configPath, logger: f.lines.logger())
        }
        let text = try BindingTool.release(reason: "clock", configPath: f.configPath, logger: f.lines.logger())
        #expect(text.hasPrefix("1 readings released"))
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: .max / 2).count == 1)
        #expect(try f.store.auditLog().first?.action == "release")
        #expect(f.lines.codes(.heldReadingsReleased) == 1)
    }

    @Test("a checked value: 'queue release --reason implausible-value --reading ID --note' releases that reading only, listed by id in 'queue held', audited; refused without a reading or a note")
    func releaseCheckedValue() throws {
        let f = try Fixture(binding: .center)
        defer { f.remove() }
        var reading = Self.reading("hi", patient: ResidentIDs.sample)
        reading.valueHold = .implausibleValue
        var other = Self.reading("hi2", patient: ResidentIDs.sample)
        other.valueHold = .implausibleValue
        guard case let .inserted(id) = try f.store.insert(reading, sessionID: nil, receivedAtMillis: 1),
              case .inserted = try f.store.insert(other, sessionID: nil, receivedAtMillis: 2) else {
            Issue.record("not inserted")
            return
        }
        let held = try AttachTool.held(configPath: f.configPath)
        #expect(held.contains("\(id)\tMETER-1\t") && held.contains("5.6 mmol/L\timplausible-value"))
        let refusals: [(Int64?, String?, String)] = [(nil, "checked", "implausible-value"), (id, nil, "implausible-value"),
                                                     (id, "  ", "implausible-value"), (id, "checked", "clock")]
        for (readingID, note, reason) in refusals {
            #expect(throws: QueueTool.Failure.self) {
                try BindingTool.release(reason: reason, readingID: readingID, note: note, configPath: f.configPath, logger: f.lines.logger())
            }
        }
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: .max / 2).isEmpty)
        let text = try BindingTool.release(reason: "implausible-value", readingID: id, note: "meter HI; repeated 33.1 mmol/L",
                                           configPath: f.configPath, logger: f.lines.logger())
        #expect(text.contains("released after review"))
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: .max / 2).map(\.id) == [id], "that reading only")
        let audit = try BindingTool.list(configPath: f.configPath, audit: true)
        #expect(audit.contains("release-value") && audit.contains("meter HI"))
        #expect(f.lines.codes(.heldReadingsReleased) == 1)
        for output in [held, text, audit, f.lines.all] { #expect(ResidentIDs.unmasked(in: output).isEmpty) }
    }
}
