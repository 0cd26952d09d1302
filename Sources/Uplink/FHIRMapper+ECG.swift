internal import PocGateCore
internal import Store

/// What an ECG needs beyond a plain Observation (docs/fhir/README.md): the recording
/// identifier and `derivedFrom` that tie measurements to their waveform, the Device of a cart
/// without a serial, the cart's statements as components of the waveform Observation, and its
/// filter settings and the age entered as extensions.
extension FHIRMapper {
    /// The identifier system of a Device: serials the device reported, or the connection a
    /// serial-less device is known by (`FallbackDeviceSerial`).
    func deviceSystem(_ serial: String) -> String {
        FallbackDeviceSerial.isFallback(serial) ? settings.deviceConnectionSystem : settings.deviceIdentifierSystem
    }

    /// The value of the `ecg-recording` identifier every Observation of one ECG carries:
    /// `<device serial>/<record-key prefix>`; nil for a reading that is not part of an ECG.
    static func ecgRecordingValue(_ reading: Reading) -> String? {
        reading.ecgGroupKey.map { reading.deviceSerial + "/" + $0 }
    }

    /// A conditional reference to an ECG's waveform Observation sent in an earlier bundle
    /// (the waveform is stored, so queued, before its measurements): its recording identifier
    /// and the EKG study code.
    func waveformQuery(recording: String) -> String {
        "Observation?" + Self.identifierQuery(system: settings.ecgRecordingSystem, value: recording)
            + "&code=" + Self.percentEncode(Self.loincSystem, keeping: ":/") + "|11524-6"
    }

    /// The Observation's identifiers: the reading's own, and for an ECG the recording's.
    func identifiers(_ row: StoredReading) -> [JSONText] {
        var out: [JSONText] = [.object(["system": .string(settings.identifierSystem), "value": .string(Self.identifierValue(row))])]
        if let recording = Self.ecgRecordingValue(row.reading) {
            out.append(.object(["system": .string(settings.ecgRecordingSystem), "value": .string(recording)]))
        }
        return out
    }

    /// LOINC 8601-7 "EKG impression": the code of each cart statement component.
    static let ekgImpressionCode = "8601-7"

    /// One component per statement: code LOINC 8601-7 (text names the SCP-ECG section),
    /// `valueString` the statement, and the `ecg-statement-status` extension saying whether a
    /// physician confirmed it.
    func ecgStatementComponents(_ context: ECGContext?) -> [JSONText] {
        guard let context else { return [] }
        var out: [JSONText] = []
        for group in context.statementGroups {
            let source = group.section == 11 ? "cart statement, universal code (SCP-ECG section 11)"
                                             : "cart statement (SCP-ECG section 8)"
            for statement in group.statements {
                out.append(.object([
                    "extension": .array([.object([
                        "url": .string(canonical.url(.ecgStatementStatus)), "valueCode": .string(group.confirmation.rawValue),
                    ])]),
                    "code": .object([
                        "coding": .array([.object(["system": .string(Self.loincSystem), "code": .string(Self.ekgImpressionCode),
                                                   "display": .string("EKG impression")])]),
                        "text": .string(source),
                    ]),
                    "valueString": .string(statement),
                ]))
            }
        }
        return out
    }

    /// The filter settings and the age entered, as extensions of the waveform Observation.
    func ecgContextExtensions(_ context: ECGContext?) -> [JSONText] {
        guard let context else { return [] }
        var out: [JSONText] = []
        func hertz(_ ext: FHIRCanonical.Extension, _ value: ExactDecimal) {
            out.append(.object(["url": .string(canonical.url(ext)), "valueQuantity": .object(Self.quantity(value: value, unit: "Hz"))]))
        }
        if let v = context.highPassCentihertz { hertz(.ecgHighPassFilter, ExactDecimal(mantissa: Int64(v), scale: 2)) }
        if let v = context.lowPassHertz { hertz(.ecgLowPassFilter, ExactDecimal(v)) }
        if let v = context.notchHertz { hertz(.ecgNotchFilter, ExactDecimal(v)) }
        if let on = context.artifactFilter {
            out.append(.object(["url": .string(canonical.url(.ecgArtifactFilter)), "valueBoolean": .bool(on)]))
        }
        if let age = context.age {
            out.append(.object(["url": .string(canonical.url(.ecgAgeEntered)),
                                "valueQuantity": .object(Self.quantity(value: ExactDecimal(age.value), unit: age.unit))]))
        }
        return out
    }
}
