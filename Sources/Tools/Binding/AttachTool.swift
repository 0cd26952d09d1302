import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import Logging
import PocGateCore
import Store

/// What `pocgate queue held` and `pocgate queue attach` do, apart from argument parsing: list
/// the readings waiting for their patient, and attach a patient to one (an ECG recorded with
/// no resident ID or with a clinic exam number). Like `pocgate bind`, they write through the
/// store while the daemon may run, audit every change and print patient IDs masked only.
public enum AttachTool {
    /// The readings held for their patient, then those held for their value, one per line.
    /// - Returns: the text to print.
    public static func held(configPath: String) throws(QueueTool.Failure) -> String {
        let (rows, values) = try QueueTool.withStore(configPath: configPath) {
            (store: Store) throws(StoreError) -> ([HeldForPatient], [HeldValue]) in
            (try store.heldForPatient(), try store.heldValues())
        }
        let patients = heldForPatient(rows)
        guard !values.isEmpty else { return patients }
        var lines = [patients, "", "reading\tdevice\tkind\ttime\tvalue\treason"]
        lines += values.map { v in
            "\(v.id)\t\(v.deviceSerial)\t\(v.kind.rawValue)\t\(v.deviceTime)\t\(v.value) \(v.unit)\t\(v.reason)"
        }
        lines.append("after checking a value: pocgate queue release --reason <reason> --reading <reading> --note \"what you checked\"")
        return lines.joined(separator: "\n")
    }

    private static func heldForPatient(_ rows: [HeldForPatient]) -> String {
        guard !rows.isEmpty else { return "no reading is waiting for its patient" }
        var lines = ["reading\tdevice\tkind\ttime\treason\tsent as patient"]
        lines += rows.map { r in
            "\(r.id)\t\(r.deviceSerial)\t\(r.kind.rawValue)\t\(r.deviceTime)\t\(r.reason)\t"
                + (r.sentPatientID.map(ResidentID.masked) ?? "none")
        }
        lines.append("attach a patient: pocgate queue attach <reading> <resident ID> (an ECG's other readings follow it)")
        return lines.joined(separator: "\n")
    }

    /// Attaches `patientID` to held reading `readingID` (and the rest of its ECG).
    /// - Returns: the text to print.
    public static func attach(readingID: Int64, patientID: String, configPath: String,
                              logger: Logger) throws(QueueTool.Failure) -> String {
        let actor = BindingTool.actor()
        let outcome = try QueueTool.withStore(configPath: configPath) { (store: Store) throws(StoreError) in
            try store.attachPatient(readingID: readingID, patientID: patientID, actor: actor, atMillis: QueueTool.nowMillis())
        }
        let masked = ResidentID.masked(ResidentID.normalized(patientID))
        logger.notice("patient attached to a held reading", metadata: [
            "code": "\(LogCode.patientAttached)", "reading_id": "\(readingID)", "patient": "\(masked)",
            "previous_patient": "\(outcome.previousPatientID.map(ResidentID.masked) ?? "none")",
            "attached": "\(outcome.attached)", "released": "\(outcome.released)", "by": "\(actor)",
        ])
        var text = "\(masked) attached to reading \(readingID)"
            + (outcome.attached > 1 ? " and the \(outcome.attached - 1) other readings of its recording" : "")
            + "; \(outcome.released) released, the daemon sends them at its next wake"
        if outcome.released < outcome.attached {
            text += "\n\(outcome.attached - outcome.released) still held for another reason (see 'pocgate queue')"
        }
        return text
    }
}
