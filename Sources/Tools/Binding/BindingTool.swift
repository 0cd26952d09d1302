import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import Logging
import PocGateCore
public import Store

/// What `pocgate bind`, `unbind`, `bindings` and `queue release` do, apart from argument
/// parsing. They write through the store the configuration names while the daemon may be
/// running (WAL and the busy timeout make that safe, as for `pocgate queue dead retry`); the
/// running daemon sends released readings at its next wake. Every change is written to the
/// audit log with who and when; patient IDs are printed and logged masked only.
public enum BindingTool {
    /// The operator: `SUDO_USER` (who ran sudo), else `USER`/`LOGNAME`, else the numeric uid.
    public static func actor() -> String { actor(environment: ProcessInfo.processInfo.environment) }

    /// `actor()` from the given environment.
    public static func actor(environment: [String: String]) -> String {
        for key in ["SUDO_USER", "USER", "LOGNAME"] {
            if let name = environment[key], !name.isEmpty { return name }
        }
        return "uid \(getuid())"
    }

    /// Binds `serial` to `patientID`; refuses an invalid resident ID (nothing changes).
    /// - Returns: the text to print.
    public static func bind(serial: String, patientID: String, rebind: Bool, configPath: String,
                            logger: Logger) throws(QueueTool.Failure) -> String {
        let (store, config) = try QueueTool.openStore(configPath: configPath)
        let now = QueueTool.nowMillis()
        if let problem = ResidentID.problem(in: patientID, today: LocalDateTime(secondsSinceEpoch: now / 1000 + 86_400)) {
            throw .input("refused: \(ResidentID.masked(patientID)) is not a valid resident ID: \(problem). Nothing was changed.")
        }
        let current: DeviceBindingRecord?
        do {
            current = try store.bindings().first { $0.deviceSerial == serial }
        } catch {
            throw .store(error)
        }
        if let current, ResidentID.normalized(current.patientID) != ResidentID.normalized(patientID), !rebind {
            throw .input("device \(serial) is bound to \(ResidentID.masked(current.patientID)) since "
                         + "\(QueueText.instant(current.boundAtMillis)); to bind it to another patient, first connect the meter "
                         + "so the readings in its memory are stored for the current patient, then run again with --rebind")
        }
        let outcome: BindOutcome
        do {
            outcome = try store.bind(deviceSerial: serial, patientID: patientID, actor: actor(), atMillis: now)
        } catch {
            throw .store(error)
        }
        logger.notice("device bound to a patient", metadata: [
            "code": "\(LogCode.patientBindingChanged)", "meter": "\(serial)",
            "patient": "\(ResidentID.masked(ResidentID.normalized(patientID)))",
            "previous_patient": "\(outcome.previousPatientID.map(ResidentID.masked) ?? "none")",
            "released": "\(outcome.released)", "by": "\(actor())",
        ])
        var lines = ["device \(serial) bound to \(ResidentID.masked(ResidentID.normalized(patientID)))"
                     + (outcome.previousPatientID.map { " (was \(ResidentID.masked($0)))" } ?? "")]
        lines.append("\(outcome.released) held readings released for this patient; the daemon sends them at its next wake")
        if config.patientBinding != .gateway {
            lines.append("note: patients.binding is '\(config.patientBinding.rawValue)': bindings are kept but not used "
                         + "until patients.binding is 'gateway'")
        }
        return lines.joined(separator: "\n")
    }

    /// Removes `serial`'s binding. - Returns: the text to print.
    public static func unbind(serial: String, configPath: String, logger: Logger) throws(QueueTool.Failure) -> String {
        let old = try QueueTool.withStore(configPath: configPath) { (store: Store) throws(StoreError) -> String? in
            try store.unbind(deviceSerial: serial, actor: actor(), atMillis: QueueTool.nowMillis())
        }
        guard let old else { return "device \(serial) was not bound; nothing changed" }
        logger.notice("device unbound", metadata: [
            "code": "\(LogCode.patientBindingChanged)", "meter": "\(serial)",
            "previous_patient": "\(ResidentID.masked(old))", "by": "\(actor())",
        ])
        return "device \(serial) unbound (was \(ResidentID.masked(old))); its new readings are held until it is bound again"
    }

    /// The bindings, one per line (patient IDs masked), and with `audit` the audit log.
    public static func list(configPath: String, audit: Bool) throws(QueueTool.Failure) -> String {
        let (bindings, entries) = try QueueTool.withStore(configPath: configPath) {
            (store: Store) throws(StoreError) -> ([DeviceBindingRecord], [AuditEntry]) in
            (try store.bindings(), audit ? try store.auditLog(limit: 200) : [])
        }
        var lines = bindings.isEmpty ? ["no device is bound"] : bindings.map { b in
            "\(b.deviceSerial)\t\(ResidentID.masked(b.patientID))\tsince \(QueueText.instant(b.boundAtMillis))\tby \(b.boundBy)"
        }
        if audit {
            lines.append("")
            lines.append(entries.isEmpty ? "audit log: empty" : "audit log (newest first):")
            lines += entries.map(auditLine)
        }
        return lines.joined(separator: "\n")
    }

    /// One audit entry as text, patient IDs masked.
    public static func auditLine(_ e: AuditEntry) -> String {
        var parts = [QueueText.instant(e.atMillis), e.actor, e.action]
        if let serial = e.deviceSerial { parts.append(serial) }
        if e.oldPatientID != nil || e.newPatientID != nil {
            parts.append("\(e.oldPatientID.map(ResidentID.masked) ?? "none") -> \(e.newPatientID.map(ResidentID.masked) ?? "none")")
        }
        if let detail = e.detail { parts.append(detail) }
        return parts.joined(separator: "\t")
    }

    /// The held reasons `pocgate queue release --reason` accepts, and what each stands for.
    public static func reasons(for name: String) -> [String]? {
        switch name {
        case "clock": return ClockHold.allCases.map(\.rawValue)
        case _ where ClockHold(rawValue: name) != nil || PatientHold(rawValue: name) != nil: return [name]
        default: return nil
        }
    }

    /// Releases readings held for `reason` after a fix; each is judged again by the patient
    /// rule. A value hold (`implausible-value`, `device-warning`) is released one reading at a
    /// time, after a person checked the value: `readingID` and `note` (why it is right) are then
    /// required. - Returns: the text to print.
    public static func release(reason: String, readingID: Int64? = nil, note: String? = nil, configPath: String,
                               logger: Logger) throws(QueueTool.Failure) -> String {
        if let hold = ValueHold(rawValue: reason) {
            return try releaseValue(hold, readingID: readingID, note: note, configPath: configPath, logger: logger)
        }
        guard let reasons = reasons(for: reason) else {
            throw .input("--reason must be clock, " + (ClockHold.allCases.map(\.rawValue) + PatientHold.allCases.map(\.rawValue)
                         + ValueHold.allCases.map(\.rawValue)).joined(separator: ", ") + "; not '\(reason)'")
        }
        if readingID != nil || note != nil {
            throw .input("--reading and --note release one value checked by a person: use them with --reason "
                         + ValueHold.allCases.map(\.rawValue).joined(separator: " or ") + "; '\(reason)' releases every reading held for it")
        }
        let (store, config) = try QueueTool.openStore(configPath: configPath)
        let outcome: ReleaseOutcome
        do {
            outcome = try store.releaseHeld(reasons: reasons, patients: config.patientBinding, actor: actor(),
                                            atMillis: QueueTool.nowMillis())
        } catch {
            throw .store(error)
        }
        logger.notice("held readings released by hand", metadata: [
            "code": "\(LogCode.heldReadingsReleased)", "reason": "\(reason)", "released": "\(outcome.released)",
            "still_held": "\(outcome.stillHeld)", "by": "\(actor())",
        ])
        var text = "\(outcome.released) readings released; the daemon sends them at its next wake"
        if outcome.stillHeld > 0 {
            text += "\n\(outcome.stillHeld) still held: their patient is still missing or invalid (see 'pocgate status')"
        }
        return text
    }
}
