internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
internal import PocGateCore
internal import Store

/// A FHIR R4 transaction Bundle ready to post, and what each of its entries stands for, so
/// the transaction-response can be matched back to readings.
struct FHIRBundle: Sendable {
    /// What one request entry of the bundle carries.
    enum Entry: Sendable, Equatable {
        /// A conditional create of the Device with this serial number.
        case device(serial: String)
        /// A conditional create of the Observation for this stored reading.
        case observation(readingID: Int64, deviceSerial: String)
    }

    /// The JSON text of the bundle.
    var body: [UInt8]
    /// One element per request entry, in bundle order.
    var entries: [Entry]

    /// The ids of the readings in the bundle, in order.
    var readingIDs: [Int64] {
        entries.compactMap { if case .observation(let id, _) = $0 { id } else { nil } }
    }

    /// `entries` as text, stored with the batch so an answer can be matched after a restart.
    var manifest: String {
        JSONText.array(entries.map { entry -> JSONText in
            switch entry {
            case .device(let serial): return .array([.string("d"), .string(serial)])
            case .observation(let id, let serial): return .array([.string("o"), .number(String(id)), .string(serial)])
            }
        }).text
    }

    /// The entries a `manifest` text describes; nil when it is not one.
    static func entries(manifest: String) -> [Entry]? {
        guard let items = JSONReader.parse(manifest.utf8) as? [[Any]] else { return nil }
        var entries: [Entry] = []
        for item in items {
            switch (item.first as? String, item.count) {
            case ("d", 2):
                guard let serial = item[1] as? String else { return nil }
                entries.append(.device(serial: serial))
            case ("o", 3):
                guard let id = (item[1] as? Int).map(Int64.init), let serial = item[2] as? String else { return nil }
                entries.append(.observation(readingID: id, deviceSerial: serial))
            default:
                return nil
            }
        }
        return entries
    }
}

/// Maps stored readings to a FHIR R4 transaction Bundle: one conditional-create Observation
/// per reading and one conditional-create Device per meter.
struct FHIRMapper: Sendable {
    let settings: UplinkSettings
    let time: FHIRTime

    static let loincSystem = "http://loinc.org"
    static let ucumSystem = "http://unitsofmeasure.org"
    static let categorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"
    /// The URLs of pocgate's extensions (device profile, original quantity, device time, meal
    /// context, ECG context), identifier systems and `meta.source`: docs/fhir/.
    var canonical: FHIRCanonical { settings.canonical }

    init(settings: UplinkSettings, zone: ZoneInfo) {
        self.settings = settings
        self.time = FHIRTime(zone: zone)
    }

    /// The stable business identifier of a reading: `<deviceSerial>/<recordKey>`.
    static func identifierValue(_ reading: Reading) -> String {
        reading.deviceSerial + "/" + reading.recordKey
    }

    /// Builds the bundle; `makeUUID` supplies the `urn:uuid:` full URLs.
    func bundle(for rows: [StoredReading], makeUUID: () -> UUID = FHIRMapper.randomUUID) -> FHIRBundle {
        let (json, entries) = bundleJSON(for: rows, makeUUID: makeUUID)
        return FHIRBundle(body: json.bytes, entries: entries)
    }

    /// The bundle as a JSON value and its entries.
    func bundleJSON(for rows: [StoredReading], makeUUID: () -> UUID) -> (JSONText, [FHIRBundle.Entry]) {
        var entries: [FHIRBundle.Entry] = []
        var json: [JSONText] = []
        var deviceURLs: [String: String] = [:]
        for row in rows where deviceURLs[row.reading.deviceSerial] == nil {
            let serial = row.reading.deviceSerial
            let fullURL = "urn:uuid:" + makeUUID().uuidString.lowercased()
            deviceURLs[serial] = fullURL
            entries.append(.device(serial: serial))
            json.append(entry(fullURL: fullURL, type: "Device", resource: device(serial: serial, model: row.reading.deviceModel),
                              system: deviceSystem(serial), value: serial))
        }
        let observationURLs = rows.map { _ in "urn:uuid:" + makeUUID().uuidString.lowercased() }
        // An ECG's waveform in this bundle, by recording: its measurements point at it.
        var waveformURLs: [String: String] = [:]
        for (row, url) in zip(rows, observationURLs) where row.reading.kind == .ecgWaveform {
            if let recording = Self.ecgRecordingValue(row.reading) { waveformURLs[recording] = url }
        }
        for (row, fullURL) in zip(rows, observationURLs) {
            let reading = row.reading
            entries.append(.observation(readingID: row.id, deviceSerial: reading.deviceSerial))
            var resource = observation(row, deviceURL: deviceURLs[reading.deviceSerial]!)
            if reading.kind != .ecgWaveform, let recording = Self.ecgRecordingValue(reading),
               case .object(var fields) = resource {
                fields["derivedFrom"] = .array([.object([
                    "reference": .string(waveformURLs[recording] ?? waveformQuery(recording: recording)),
                    "display": .string("EKG waveform"),
                ])])
                resource = .object(fields)
            }
            if row.amendsRecordKey != nil {
                json.append(update(fullURL: fullURL, type: "Observation", resource: resource,
                                   system: settings.identifierSystem, value: Self.identifierValue(row)))
            } else {
                json.append(entry(fullURL: fullURL, type: "Observation", resource: resource,
                                  system: settings.identifierSystem, value: Self.identifierValue(reading)))
            }
        }
        let bundle = JSONText.object([
            "resourceType": .string("Bundle"),
            "type": .string("transaction"),
            "entry": .array(json),
        ])
        return (bundle, entries)
    }

    private func entry(fullURL: String, type: String, resource: JSONText, system: String, value: String) -> JSONText {
        .object([
            "fullUrl": .string(fullURL),
            "resource": resource,
            "request": .object([
                "method": .string("POST"),
                "url": .string(type),
                "ifNoneExist": .string(Self.identifierQuery(system: system, value: value)),
            ]),
        ])
    }

    /// `identifier=<system>|<value>` for a conditional create: FHIR search escapes (`\`, `|`,
    /// `,`, `$`) in the value, then percent-encoding of everything but unreserved characters.
    static func identifierQuery(system: String, value: String) -> String {
        var escaped = ""
        for ch in value {
            if ch == "\\" || ch == "|" || ch == "," || ch == "$" { escaped.append("\\") }
            escaped.append(ch)
        }
        return "identifier=" + percentEncode(system, keeping: ":/") + "|" + percentEncode(escaped, keeping: "")
    }

    static func percentEncode(_ text: String, keeping extra: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let kept = Array(("-._~" + extra).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.append(byte)
            case _ where kept.contains(byte):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A random (version 4) UUID from the system generator (getrandom), without the file
    /// open Foundation's `UUID()` costs on Linux for every call.
    static func randomUUID() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    func device(serial: String, model: String) -> JSONText {
        var resource: [String: JSONText] = [
            "resourceType": .string("Device"),
            "identifier": .array([.object(["system": .string(deviceSystem(serial)), "value": .string(serial)])]),
        ]
        // A device that reported no serial is known by its connection, which is not a serial number.
        if !FallbackDeviceSerial.isFallback(serial) { resource["serialNumber"] = .string(serial) }
        // FHIR forbids empty strings: a meter that reports no model gets no deviceName.
        if !model.trimmingWhitespace().isEmpty {
            resource["deviceName"] = .array([.object(["name": .string(model), "type": .string("model-name")])])
        }
        return .object(resource)
    }

    func observation(_ row: StoredReading, deviceURL: String) -> JSONText {
        let reading = row.reading
        let sent = settings.units.quantity(for: reading)
        let codings = Self.codings(reading, sent: sent)
        var quantity = Self.quantity(value: sent.value, unit: sent.unit)
        var original = Self.quantity(value: reading.value, unit: reading.unit)
        // Out of the meter's range: the value is a bound, not a measurement.
        if let comparator = FHIRMeaning.comparator(reading.flags) {
            quantity["comparator"] = .string(comparator)
            original["comparator"] = .string(comparator)
        }
        var extensions: [JSONText] = []
        if let meal = FHIRMeaning.mealContext(reading.flags, url: canonical.url(.mealContext)) { extensions.append(meal) }
        if sent.converted {
            extensions.append(.object(["url": .string(canonical.url(.originalQuantity)), "valueQuantity": .object(original)]))
        }
        if row.effectiveTime != reading.deviceTime {
            extensions.append(.object(["url": .string(canonical.url(.deviceTime)),
                                       "valueString": .string(reading.deviceTime.description)]))
        }
        let category = FHIRVitalSigns.category(reading.kind)
        var resource: [String: JSONText] = [
            "resourceType": .string("Observation"),
            "status": .string(reading.status.rawValue),
            "category": .array([.object(["coding": .array([.object([
                "system": .string(Self.categorySystem), "code": .string(category.code), "display": .string(category.display),
            ])])])]),
            "code": .object(["coding": .array(codings)]),
            "effectiveDateTime": .string(effectiveDateTime(row)),
            "issued": .string(FHIRTime.instant(millis: row.receivedAtMillis)),
            "identifier": .array(identifiers(row)),
            "device": .object(["reference": .string(deviceURL)]),
        ]
        // A panel (blood pressure) carries its parts as components and no value of its own; a
        // waveform carries one SampledData component per lead; anything else its quantity.
        if let waveform = reading.waveform {
            resource["component"] = .array(waveform.leads.map { Self.leadComponent($0, of: waveform) }
                                           + ecgStatementComponents(reading.ecgContext))
            extensions += ecgContextExtensions(reading.ecgContext)
        } else if !reading.components.isEmpty {
            resource["component"] = .array(reading.components.map(Self.component))
        } else {
            resource["valueQuantity"] = .object(quantity)
        }
        // The patient: only one the device supplied or the gateway's binding assigned (never a
        // guess). Vital-signs profiles require a subject, so they are claimed only with one.
        var profiles: [JSONText] = []
        if let patient = row.subjectPatientID {
            resource["subject"] = .object([
                "type": .string("Patient"),
                "identifier": .object(["system": .string(settings.patientIdentifierSystem),
                                       "value": .string(ResidentID.normalized(patient))]),
            ])
            if category == .vitalSigns {
                profiles.append(.string(FHIRVitalSigns.baseProfile))
                if let specific = FHIRVitalSigns.profile(reading.kind) { profiles.append(.string(specific)) }
            }
        }
        if let interpretation = FHIRMeaning.interpretation(reading.flags) { resource["interpretation"] = interpretation }
        if let site = reading.bodySite, !site.isEmpty { resource["bodySite"] = .object(["text": .string(site)]) }
        // Every flag also as readable text: patient comments (OneTouch codes) have no FHIR code.
        var notes: [JSONText] = reading.flags.map { .object(["text": .string($0.rawValue)]) }
        if let review = Self.valueReviewNote(row) { notes.append(review) }
        if !notes.isEmpty { resource["note"] = .array(notes) }
        let provenance = row.provenance
        var meta: [String: JSONText] = [:]
        if let gateway = provenance.gatewayID, !gateway.isEmpty {
            meta["source"] = .string(canonical.gatewaySourcePrefix + Self.percentEncode(gateway, keeping: ""))
        }
        if !profiles.isEmpty { meta["profile"] = .array(profiles) }
        if !meta.isEmpty { resource["meta"] = .object(meta) }
        if let version = provenance.profileVersion {
            var text = reading.profileID + "@" + String(version)
            if let hash = provenance.profileHash, !hash.isEmpty { text += "#" + hash }
            extensions.append(.object(["url": .string(canonical.url(.deviceProfile)), "valueString": .string(text)]))
        }
        if !extensions.isEmpty { resource["extension"] = .array(extensions) }
        return .object(resource)
    }

    /// An `Observation.component` for one part of a panel, coded by its LOINC code and sent in its own UCUM unit.
    static func component(_ part: ReadingComponent) -> JSONText {
        // A part with no LOINC code for its unit (a codec's mistake) is named in text only:
        // FHIR forbids an empty code, and a made-up one would mean something else.
        guard !part.code.isEmpty else {
            return .object([
                "code": .object(["text": .string(part.kind.rawValue)]),
                "valueQuantity": .object(quantity(value: part.value, unit: part.unit)),
            ])
        }
        var coding: [String: JSONText] = ["system": .string(loincSystem), "code": .string(part.code)]
        if let display = part.kind.loincDisplay(unit: part.unit) { coding["display"] = .string(display) }
        return .object([
            "code": .object(["coding": .array([.object(coding)])]),
            "valueQuantity": .object(quantity(value: part.value, unit: part.unit)),
        ])
    }

    /// An `Observation.component` for one ECG lead: MDC-coded (the lead name as text), its
    /// samples as `SampledData` (origin in the waveform's unit, period in ms, factor,
    /// one dimension, the integer samples separated by spaces).
    static func leadComponent(_ lead: WaveformLead, of waveform: Waveform) -> JSONText {
        var code: [String: JSONText] = ["text": .string(lead.name)]
        if let mdc = WaveformLead.mdcCode(forLead: lead.name), let name = WaveformLead.mdcName(forLead: lead.name) {
            code["coding"] = .array([.object(["system": .string(FHIRVitalSigns.mdcSystem), "code": .string(mdc),
                                              "display": .string(name)])])
        }
        var data: [UInt8] = []
        data.reserveCapacity(lead.samples.count * 5)
        for (i, sample) in lead.samples.enumerated() {
            if i > 0 { data.append(UInt8(ascii: " ")) }
            data.append(contentsOf: String(sample).utf8)
        }
        return .object([
            "code": .object(code),
            "valueSampledData": .object([
                "origin": .object(quantity(value: waveform.origin, unit: waveform.unit)),
                "period": .number(waveform.periodMillis.description),
                "factor": .number(waveform.factor.description),
                "dimensions": .number("1"),
                "data": .string(String(decoding: data, as: UTF8.self)),
            ]),
        ])
    }

    /// A UCUM `Quantity` (without comparator).
    static func quantity(value: ExactDecimal, unit: String) -> [String: JSONText] {
        ["value": .number(value.description), "unit": .string(unit), "system": .string(ucumSystem), "code": .string(unit)]
    }

}
