import Daemon
import Emulators
extension DemoReceiver {
    /// LOINC codes shown as "glucose".
    static let glucoseCodes: Set<String> = ["41653-7", "14743-9", "2339-0", "2345-7", "15074-8"]

    /// One human-readable line for an Observation, e.g.
    /// `  ✓ 2024-06-15T08:30:00+08:00  glucose 120 mg/dL  (41653-7)  before-meal  meter 2204A1B2C3D4E5F6`.
    ///
    /// Missing fields are left out; notes are joined with "; ".
    public static func line(for observation: DemoObservation) -> String {
        var parts = ["  ✓ " + (observation.effective ?? "(no time)")]
        var measurement = label(for: observation)
        if let value = observation.value { measurement += " " + value }
        if let unit = observation.unit, !unit.isEmpty { measurement += " " + unit }
        parts.append(measurement)
        if let code = observation.code { parts.append("(\(code))") }
        let notes = observation.notes.filter { !$0.isEmpty }
        if !notes.isEmpty { parts.append(notes.joined(separator: "; ")) }
        if let serial = observation.deviceSerial { parts.append("meter " + serial) }
        return parts.joined(separator: "  ")
    }

    private static func label(for observation: DemoObservation) -> String {
        if let code = observation.code, glucoseCodes.contains(code) { return "glucose" }
        if let display = observation.display {
            if display.lowercased().contains("glucose") { return "glucose" }
            return display.count > 40 ? display.prefix(39) + "…" : display
        }
        return observation.code ?? "observation"
    }
}
