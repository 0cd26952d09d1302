import Uplink
import Daemon
import Emulators
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

package extension DemoObservation {
    /// Picks the displayed fields out of an Observation resource; `entries` (the Bundle's)
    /// resolve a device reference to the Device resource carried alongside.
    init(observation: [String: Any], in entries: [[String: Any]]) {
        let code = observation["code"] as? [String: Any]
        let codings = code?["coding"] as? [[String: Any]] ?? []
        let coding = codings.first { $0["system"] as? String == "http://loinc.org" } ?? codings.first
        let quantity = observation["valueQuantity"] as? [String: Any]
        let identifiers = observation["identifier"] as? [[String: Any]] ?? []
        let notes = observation["note"] as? [[String: Any]] ?? []
        self.init(
            code: coding?["code"] as? String,
            display: coding?["display"] as? String ?? code?["text"] as? String,
            value: Self.text(quantity?["value"]) ?? Self.text(observation["valueString"]) ?? Self.text(observation["valueInteger"]),
            unit: quantity?["unit"] as? String ?? quantity?["code"] as? String,
            effective: observation["effectiveDateTime"] as? String ?? observation["effectiveInstant"] as? String
                ?? (observation["effectivePeriod"] as? [String: Any])?["start"] as? String,
            identifier: identifiers.first?["value"] as? String,
            deviceSerial: Self.deviceSerial(observation["device"] as? [String: Any], in: entries),
            notes: notes.compactMap { $0["text"] as? String }
        )
    }

    /// A JSON scalar as text: numbers as written, strings as they are.
    private static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: return string
        case let number as Int: return String(number)
        case let number as JSONNumberText: return number.text
        default: return nil
        }
    }

    /// The serial behind `Observation.device`: a logical identifier, a conditional reference
    /// (`Device?identifier=system|serial`), a reference to a Device in the same Bundle (its
    /// `serialNumber` or first identifier), or failing those the reference's display.
    /// `text` with each `%XX` replaced by its byte; nil when an escape is malformed or the
    /// result is not UTF-8.
    private static func percentDecoded(_ text: String) -> String? {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            guard b == UInt8(ascii: "%") else { out.append(b); continue }
            guard bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            out.append(v)
            bytes = bytes.dropFirst(2)
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func deviceSerial(_ device: [String: Any]?, in entries: [[String: Any]]) -> String? {
        guard let device else { return nil }
        if let identifier = device["identifier"] as? [String: Any], let value = identifier["value"] as? String {
            return value
        }
        if let reference = device["reference"] as? String {
            if let query = reference.split(separator: "?", maxSplits: 1).dropFirst().first {
                for parameter in query.split(separator: "&") where parameter.hasPrefix("identifier=") {
                    let value = String(parameter.dropFirst("identifier=".count))
                    let decoded = percentDecoded(value) ?? value
                    return decoded.split(separator: "|", omittingEmptySubsequences: false).last.map(String.init)
                }
            }
            for entry in entries {
                guard let resource = entry["resource"] as? [String: Any], resource["resourceType"] as? String == "Device" else { continue }
                let localName = (resource["id"] as? String).map { "Device/\($0)" }
                guard entry["fullUrl"] as? String == reference || localName == reference else { continue }
                if let serial = resource["serialNumber"] as? String { return serial }
                let identifiers = resource["identifier"] as? [[String: Any]] ?? []
                if let value = identifiers.first?["value"] as? String { return value }
            }
        }
        return device["display"] as? String
    }
}
