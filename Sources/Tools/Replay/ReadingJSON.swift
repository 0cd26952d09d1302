import Daemon
public import PocGateCore

/// The `pocgate replay --format ndjson` line for one reading: the parser's public contract.
///
/// Keys, in this order: `profile, device, code, kind, value, unit, time, flags`, then only when
/// present `patient` (as the device sent it), `components` (`[{kind, code, value, unit}]`),
/// `waveform` (`{leads, samples, period_ms, factor, unit, digest}`: the lead names, samples per
/// lead and a digest of every sample), `utc_offset_s` (the UTC offset the device wrote with
/// the time), `status` (when not `final`: `preliminary`, `corrected`, `entered-in-error`),
/// `body_site` and `held` (the device's own warning, ASTM status W). `code` is the device's
/// own code: LOINC, or `MDC:<number>`. `value` is a JSON number written from the exact decimal,
/// `time` is ISO 8601 as the device reported it.
public enum ReadingJSON {
    public static func line(_ r: Reading) -> String {
        var s = "{"
        s += "\"profile\":\(quote(r.profileID)),"
        s += "\"device\":\(quote(r.deviceSerial)),"
        s += "\"code\":\(quote(r.code)),"
        s += "\"kind\":\(quote(r.kind.rawValue)),"
        s += "\"value\":\(r.value.description),"
        s += "\"unit\":\(quote(r.unit)),"
        s += "\"time\":\(quote(r.deviceTime.description)),"
        s += "\"flags\":[\(r.flags.map { quote($0.rawValue) }.joined(separator: ","))]"
        if let patient = r.patientID { s += ",\"patient\":\(quote(patient))" }
        if !r.components.isEmpty {
            s += ",\"components\":[" + r.components.map { c in
                "{\"kind\":\(quote(c.kind.rawValue)),\"code\":\(quote(c.code)),\"value\":\(c.value.description),\"unit\":\(quote(c.unit))}"
            }.joined(separator: ",") + "]"
        }
        if let w = r.waveform {
            s += ",\"waveform\":{\"leads\":[\(w.leads.map { quote($0.name) }.joined(separator: ","))]"
            s += ",\"samples\":\(w.samplesPerLead),\"period_ms\":\(w.periodMillis.description)"
            s += ",\"factor\":\(w.factor.description),\"unit\":\(quote(w.unit)),\"digest\":\(quote(w.digest))}"
        }
        if let offset = r.utcOffsetSeconds { s += ",\"utc_offset_s\":\(offset)" }
        if let precision = r.timePrecision { s += ",\"time_precision\":\(quote(precision.storeText))" }
        if r.status != .final { s += ",\"status\":\(quote(r.status.rawValue))" }
        if let site = r.bodySite { s += ",\"body_site\":\(quote(site))" }
        if let hold = r.valueHold { s += ",\"held\":\(quote(hold.rawValue))" }
        return s + "}"
    }

    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
