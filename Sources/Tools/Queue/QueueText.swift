import Uplink
import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import FrameParsing
import PocGateCore
public import Store

/// The text `pocgate queue` prints: the summary, dead-letter lists and details.
public enum QueueText {
    /// The queue summary, one `key: value` per line; ages relative to `nowMillis`. The last
    /// error is the center's text: resident IDs in it are masked unless `display` shows them.
    public static func summary(_ q: QueueSummary, nowMillis: Int64, display: PatientIDDisplay = .masked) -> String {
        var lines = [
            "pending: \(q.pending)",
            "oldest undelivered: " + (q.oldestPendingReceivedAtMillis.map { age(nowMillis - $0) + " ago (" + instant($0) + ")" } ?? "none"),
            "last error: " + (q.lastError.map(display.text) ?? "none"),
            "dead letters: \(q.deadLetters)" + (q.droppedDeadLetters > 0 ? " (+\(q.droppedDeadLetters) dropped)" : ""),
            "delivered (kept): \(q.delivered)",
            "readings (kept): \(q.readings)",
            "control results kept locally: \(q.controlResults)",
            "held (implausible meter clock, not uploaded): " + heldText(clockHolds(q.heldReadings)),
            "held for the patient (unbound device or invalid ID, not uploaded): " + heldText(patientHolds(q.heldReadings)),
            "held for the value (outside the analyte's plausible range, not uploaded): " + heldText(valueHolds(q.heldReadings)),
            "undecoded records kept with their bytes (not uploaded; pocgate queue problems): \(q.recordProblems)",
            "last batch sequence: \(q.lastSequence)",
        ]
        if let batch = q.pendingBatch {
            lines.append("batch in flight: \(batch.sequence), \(batch.attempts) failed sends, next attempt "
                         + (batch.nextAttemptAtMillis <= nowMillis ? "now" : "in " + age(batch.nextAttemptAtMillis - nowMillis)))
        }
        lines.append("database: \(q.databaseBytes / 1024) KiB")
        return lines.joined(separator: "\n")
    }

    /// The summary as one JSON object (for scripts).
    public static func summaryJSON(_ q: QueueSummary, nowMillis: Int64, display: PatientIDDisplay = .masked) -> String {
        var object: [String: Any] = [
            "pending": q.pending, "delivered": q.delivered, "readings": q.readings, "deadLetters": q.deadLetters,
            "droppedDeadLetters": q.droppedDeadLetters, "controlResults": q.controlResults, "lastSequence": q.lastSequence, "databaseBytes": q.databaseBytes,
            "heldReadings": q.heldReadings, "recordProblems": q.recordProblems,
        ]
        if let oldest = q.oldestPendingReceivedAtMillis { object["oldestPendingAgeMillis"] = nowMillis - oldest }
        if let error = q.lastError { object["lastError"] = display.text(error) }
        if let batch = q.pendingBatch {
            object["batchInFlight"] = ["sequence": batch.sequence, "attempts": batch.attempts,
                                       "nextAttemptAtMillis": batch.nextAttemptAtMillis]
        }
        return JSONWriter.text(object)
    }

    /// The held counts whose reason is a device-clock hold.
    public static func clockHolds(_ held: [String: Int]) -> [String: Int] {
        held.filter { ClockHold(rawValue: $0.key) != nil }
    }

    /// The held counts whose reason is neither a device-clock nor a value hold (the patient holds).
    public static func patientHolds(_ held: [String: Int]) -> [String: Int] {
        held.filter { ClockHold(rawValue: $0.key) == nil && ValueHold(rawValue: $0.key) == nil }
    }

    /// The held counts whose reason is an implausible value.
    public static func valueHolds(_ held: [String: Int]) -> [String: Int] {
        held.filter { ValueHold(rawValue: $0.key) != nil }
    }

    /// `0`, or `3 (clock-reset 2, in-future 1)`: held readings with their reasons.
    public static func heldText(_ held: [String: Int]) -> String {
        let total = held.values.reduce(0, +)
        guard total > 0 else { return "0" }
        return "\(total) (" + held.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// One line per undecoded record: id, first seen, device, profile, reason, bytes.
    public static func problems(_ list: [RecordProblem]) -> String {
        guard !list.isEmpty else { return "no undecoded records" }
        return list.map { p in
            "\(p.id)\t\(instant(p.firstSeenAtMillis))\t\(p.deviceSerial)\t\(p.profileID)\t\(p.reason)\t"
                + p.raw.map(Hex.byte).joined()
        }.joined(separator: "\n")
    }

    /// One line per dead letter; resident IDs in the center's reasons masked unless `display`
    /// shows them.
    public static func list(_ letters: [DeadLetter], display: PatientIDDisplay = .masked) -> String {
        guard !letters.isEmpty else { return "no dead letters" }
        return letters.map { d in
            let r = d.reading.reading
            return display.text("\(d.reading.id)\t\(instant(d.deadAtMillis))\tHTTP \(d.httpStatus.map(String.init) ?? "-")\t"
                + "\(r.deviceSerial)/\(r.recordKey)\t\(r.value) \(r.unit)\t\(d.reason)"
                + (d.droppedAtMillis != nil ? "\t(dropped: \(d.dropReason ?? ""))" : ""))
        }.joined(separator: "\n")
    }

    /// Everything about one dead letter, the server's answer included. Resident IDs are masked
    /// in every line (the patient's, and any in the center's diagnostics) unless `display`
    /// shows them.
    public static func show(_ d: DeadLetter, display: PatientIDDisplay = .masked) -> String {
        let r = d.reading.reading
        let p = d.reading.provenance
        var lines = [
            "reading: \(d.reading.id)",
            "identifier: \(r.deviceSerial)/\(r.recordKey)",
            "device: \(r.deviceModel) \(r.deviceSerial)",
            "value: \(r.value) \(r.unit) (\(r.code)) at \(r.deviceTime) device time" + (r.flags.isEmpty ? "" : ", flags \(r.flags.map(\.rawValue).joined(separator: ","))"),
            "patient: " + (d.reading.subjectPatientID.map { display.showInClear ? $0 : ResidentID.masked($0) } ?? "none (the center assigns it)"),
            "received: \(instant(d.reading.receivedAtMillis))",
            "profile: \(r.profileID)" + (p.profileVersion.map { " v\($0)" } ?? "") + (p.profileHash.map { " #\($0)" } ?? ""),
            "gateway: \(p.gatewayID ?? "unknown"), session \(d.reading.sessionID.map(String.init) ?? "none")",
            "raw: \(r.raw.map(Hex.byte).joined())",
            "refused: \(instant(d.deadAtMillis)) in batch \(d.batchSequence.map(String.init) ?? "-"), HTTP \(d.httpStatus.map(String.init) ?? "-"), after \(d.attempts) attempts",
            "reason: \(d.reason)",
            "server answer: \(d.response ?? "(none)")",
        ]
        if let dropped = d.droppedAtMillis {
            lines.append("dropped: \(instant(dropped)): \(d.dropReason ?? "")")
        }
        return lines.map(display.text).joined(separator: "\n")
    }

    /// `3d 4h`, `5m 2s`, `800ms`.
    public static func age(_ millis: Int64) -> String {
        let ms = max(0, millis)
        if ms < 1000 { return "\(ms)ms" }
        let s = ms / 1000
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        if s < 86_400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86_400)d \(s % 86_400 / 3600)h"
    }

    package static func instant(_ millis: Int64) -> String {
        ISO8601Instant.text(millis: millis)
    }
}
