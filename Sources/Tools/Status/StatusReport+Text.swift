import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension StatusReport {
    /// The report as indented JSON (ISO 8601 times), for machines.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The report for a person at a terminal.
    public func text() -> String {
        var lines: [String] = []
        switch health {
        case .ok: lines.append("pocgate: OK")
        case .attention: lines.append("pocgate: needs attention")
        case .unreadable: lines.append("pocgate: cannot read the gateway's state")
        }
        lines += problems.map { "  ! \($0)" }
        lines.append("")
        lines.append(field("Daemon", daemonText))
        lines.append(field("Devices", devices.isEmpty ? "none connected" : "\(devices.count) connected"))
        for d in devices {
            let last = d.lastReadingAt.map { "last reading \(Self.local($0))" } ?? "no new reading yet"
            lines.append("             \(d.devnode)  \(d.profile)  \(d.usb ?? d.bluetooth ?? "-")  \(last)\(d.inSession ? "  (reading now)" : "")")
            if let verdict = d.verdict { lines.append("               \(verdict)") }
            if let problem = d.problem { lines.append("               ! \(problem)") }
        }
        lines.append(field("Queue", queueText))
        lines.append(field("Upload", uploadText))
        if let s = store {
            lines.append(field("Store", "\(s.path): \(s.readings) readings, \(s.delivered) delivered, \(s.sessions) sessions"
                               + (s.lastSessionStartedAt.map { ", last session \(Self.local($0))" } ?? "")
                               + ((s.controlResults ?? 0) > 0 ? ", \(s.controlResults ?? 0) control results kept locally" : "")
                               + (QueueText.clockHolds(s.heldReadings ?? [:]).isEmpty ? ""
                                  : ", held (meter clock): " + QueueText.heldText(QueueText.clockHolds(s.heldReadings ?? [:])))
                               + (QueueText.patientHolds(s.heldReadings ?? [:]).isEmpty ? ""
                                  : ", held (patient): " + QueueText.heldText(QueueText.patientHolds(s.heldReadings ?? [:])))))
        }
        return lines.joined(separator: "\n")
    }

    private func field(_ name: String, _ value: String) -> String {
        TechnicianText.padded(TechnicianText.current(name) + ":", to: 13) + value
    }

    private var daemonText: String {
        guard daemon.running, let pid = daemon.pid else {
            return "not running (status file \(daemon.statusFile))"
        }
        var text = "running, pid \(pid), \(daemon.ready ? "ready" : daemon.state?.rawValue ?? "not ready")"
        if let started = daemon.startedAt { text += ", since \(Self.local(started))" }
        if let watchdog = daemon.watchdogSeconds { text += ", watchdog \(Int(watchdog)) s" }
        if let stalled = daemon.stalled { text += ", STALLED: \(stalled)" }
        return text
    }

    private var queueText: String {
        guard let depth = queue.depth else { return "unknown" }
        guard depth > 0, let oldest = queue.oldestPendingAt, let age = queue.oldestPendingAgeSeconds else { return "empty" }
        var text = "\(depth) reading\(depth == 1 ? "" : "s") waiting, oldest received \(Self.local(oldest)) (\(Self.span(max(0, age))) ago)"
        if let failed = queue.withFailedAttempts, failed > 0 { text += ", \(failed) after failed attempts" }
        return text
    }

    private var uploadText: String {
        var parts: [String] = []
        if let u = lastUpload {
            parts.append("last attempt \(Self.local(u.at)) \(u.ok ? "ok" : "FAILED"): \(u.detail)")
        }
        if let delivered = store?.lastDeliveredAt {
            parts.append("last delivery \(Self.local(delivered))")
        }
        return parts.isEmpty ? "none yet" : parts.joined(separator: "; ")
    }
}
