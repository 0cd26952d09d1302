import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import PocGateCore
public import Store

/// How a command prints text that came from a device, the store or the data center: resident
/// IDs masked (`1101************14`), as every log line has them, unless the technician asked
/// for them with `--show-patient-ids` — and that request is written to the audit log first.
public struct PatientIDDisplay: Sendable {
    /// Whether IDs are printed in clear.
    public let showInClear: Bool

    /// Masked output: what every command prints by default.
    public static let masked = PatientIDDisplay(showInClear: false)

    public init(showInClear: Bool) { self.showInClear = showInClear }

    /// `text` with every resident-ID-shaped run masked (LogRedactor's rule), unless shown in clear.
    public func text(_ text: String) -> String {
        showInClear ? text : LogRedactor().redact(text)
    }

    /// The `ReadingJSON` line of `reading`: its `patient` masked whatever its shape, and any
    /// ID-shaped text in its other text fields, unless shown in clear. Numbers stay numbers
    /// (the line stays valid JSON).
    public func line(_ reading: Reading) -> String {
        guard !showInClear else { return ReadingJSON.line(reading) }
        var r = reading
        r.patientID = r.patientID.map(ResidentID.masked)
        r.deviceSerial = text(r.deviceSerial)
        r.deviceModel = text(r.deviceModel)
        r.recordKey = text(r.recordKey)
        r.unit = text(r.unit)
        return ReadingJSON.line(r)
    }

    /// Writes the disclosure to the audit log of the store the configuration at `configPath`
    /// names (who, when, which command), before anything is printed. Returns the display to use.
    ///
    /// - Throws: `QueueTool.Failure` when the audit entry cannot be written: the IDs are then
    ///   not shown.
    public static func audited(showInClear: Bool, configPath: String) throws(QueueTool.Failure) -> PatientIDDisplay {
        guard showInClear else { return .masked }
        let (store, _) = try QueueTool.openStore(configPath: configPath)
        do {
            return try audited(showInClear: true, store: store)
        } catch {
            throw .store(error)
        }
    }

    /// Like `audited(showInClear:configPath:)`, in an open store.
    public static func audited(showInClear: Bool, store: Store) throws(StoreError) -> PatientIDDisplay {
        guard showInClear else { return .masked }
        try store.auditDisclosure(actor: BindingTool.actor(), command: commandLine, atMillis: QueueTool.nowMillis())
        return PatientIDDisplay(showInClear: true)
    }

    /// This process's command line, as recorded in the audit log (at most 200 characters).
    package static var commandLine: String {
        String((["pocgate"] + CommandLine.arguments.dropFirst()).joined(separator: " ").prefix(200))
    }
}
