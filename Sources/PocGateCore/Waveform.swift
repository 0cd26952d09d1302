/// A multi-lead waveform recorded with a reading (a resting ECG), kept whole: every sample of
/// every lead, never truncated or resampled. Uploaded as FHIR `SampledData`, one component per lead.
///
/// A sample's physical value is `origin + factor × sample` in `unit`.
public struct Waveform: Sendable, Hashable, Codable {
    /// Milliseconds between samples (2 for 500 Hz).
    public var periodMillis: ExactDecimal
    /// Physical units per sample count, e.g. 4.88 µV per count.
    public var factor: ExactDecimal
    /// The physical value of sample 0, normally 0.
    public var origin: ExactDecimal
    /// UCUM unit of `origin + factor × sample`; `uV` for ECG.
    public var unit: String
    /// The leads in the device's order.
    public var leads: [WaveformLead]

    public init(periodMillis: ExactDecimal, factor: ExactDecimal, origin: ExactDecimal = ExactDecimal(0),
                unit: String = "uV", leads: [WaveformLead]) {
        self.periodMillis = periodMillis
        self.factor = factor
        self.origin = origin
        self.unit = unit
        self.leads = leads
    }

    /// Samples per lead (the longest lead).
    public var samplesPerLead: Int { leads.map(\.samples.count).max() ?? 0 }

    /// FNV-1a 64 over every lead's name and samples (little-endian 32-bit), hex: a short
    /// fingerprint that changes when any sample does, for replay output and golden files.
    public var digest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        for lead in leads {
            for b in lead.name.utf8 { mix(b) }
            mix(0)
            for s in lead.samples {
                let u = UInt32(bitPattern: s)
                mix(UInt8(truncatingIfNeeded: u)); mix(UInt8(truncatingIfNeeded: u >> 8))
                mix(UInt8(truncatingIfNeeded: u >> 16)); mix(UInt8(truncatingIfNeeded: u >> 24))
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// One lead of a waveform.
public struct WaveformLead: Sendable, Hashable, Codable {
    /// The lead's name as ECG practice writes it: I, II, III, aVR, aVL, aVF, V1…V6.
    public var name: String
    /// The samples in device counts (multiply by the waveform's factor for the physical value).
    public var samples: [Int32]

    public init(name: String, samples: [Int32]) {
        self.name = name
        self.samples = samples
    }

    /// The IEEE 11073-10101 (MDC) code of the electrical potential measured on an ECG lead
    /// (`MDC_ECG_ELEC_POTL_<lead>`), or nil for a lead MDC does not name: the code FHIR waveform
    /// examples give each lead's `SampledData` component.
    public static func mdcCode(forLead name: String) -> String? {
        mdcLeadNumbers[name].map { String(131_328 + $0) }
    }

    /// The MDC reference id of `mdcCode(forLead:)`, e.g. `MDC_ECG_ELEC_POTL_AVF`, `MDC_ECG_ELEC_POTL_V3R`.
    public static func mdcName(forLead name: String) -> String? {
        guard mdcLeadNumbers[name] != nil else { return nil }
        return "MDC_ECG_ELEC_POTL_" + (name == "-aVR" ? "AVRneg" : name.uppercased())
    }

    /// `MDC_ECG_ELEC_POTL_<lead>` is partition 2 (SCADA) × 65536 + 256 + the number of
    /// `MDC_ECG_LEAD_<lead>`, and the `MDC_ECG_LEAD_*` numbers are the SCP-ECG lead codes
    /// (EN 1064 section 3 lead table): I 1, II 2, V1…V6 3…8, V7 9, V2R…V7R 10…15, X Y Z 16…18,
    /// III 61, aVR 62, aVL 63, aVF 64, -aVR 65, V8 66, V9 67, V8R 68, V9R 69.
    /// (`MDC_ECG_LEAD_I` itself, 131073, names the lead, not a measurement.) Sources: docs/CODES.md.
    private static let mdcLeadNumbers: [String: Int] = {
        var table: [String: Int] = ["I": 1, "II": 2, "V7": 9, "X": 16, "Y": 17, "Z": 18, "III": 61, "aVR": 62, "aVL": 63,
                                    "aVF": 64, "-aVR": 65, "V8": 66, "V9": 67, "V8R": 68, "V9R": 69]
        for n in 1...6 { table["V\(n)"] = n + 2 }
        for n in 2...7 { table["V\(n)R"] = n + 8 }
        return table
    }()
}
