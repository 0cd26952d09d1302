public import PocGateCore

/// pocgate's framed ECG transfer: one resting ECG per frame, for carts (or cart bridges)
/// that export raw samples instead of an SCP-ECG file. **Constructed format (C)**: no public
/// cart documentation describes a raw-sample serial frame, so this layout is pocgate's own,
/// documented in docs/protocols/ecg.md; a cart that sends SCP-ECG uses `scp-ecg` instead.
///
/// Layout, integers little-endian:
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 4 | magic `PGEC` (50 47 45 43) |
/// | 4 | 4 | frame length, magic to CRC inclusive |
/// | 8 | 1 | format version, 1 |
/// | 9 | 1 | lead count N, 1…12 |
/// | 10 | 2 | sample rate, Hz (1,000,000 µs must divide by it) |
/// | 12 | 2 | samples per lead S, 1…10,000 |
/// | 14 | 7 | acquisition time: year u16, month, day, hour, minute, second |
/// | 21 | 1 | patient ID length P, 0…64 |
/// | 22 | P | patient ID, UTF-8 |
/// | | 1 | serial length L, 0…32, then L ASCII bytes |
/// | | N | lead codes (SCP-ECG section 3 numbering) |
/// | | 4N | per-lead scale, nanovolts per count, u32 |
/// | | 2NS | samples, i16, lead after lead |
/// | | 16 | heart rate, PR, QRS, QT, QTc (u16), P, QRS, T axis (i16); 0x7FFF = not measured |
/// | | 2 | CRC-16/CCITT-FALSE of every earlier byte |
public struct ECGTransferFrame: Sendable, Hashable {
    /// `PGEC`.
    public static let magic: [UInt8] = [0x50, 0x47, 0x45, 0x43]
    /// The only format version this decoder reads.
    public static let version: UInt8 = 1
    /// Bytes before the patient ID.
    public static let fixedHeaderLength = 22
    /// The longest patient ID the format carries.
    public static let maximumPatientIDLength = 64
    /// The longest serial the format carries.
    public static let maximumSerialLength = 32
    /// The most leads in one frame.
    public static let maximumLeads = 12
    /// The most samples per lead (20 s at 500 Hz).
    public static let maximumSamplesPerLead = 10_000
    /// The measurement block's size.
    public static let measurementLength = 16
    /// The "not measured" marker in the measurement block.
    public static let notMeasured: Int16 = 0x7FFF
    /// The longest frame the header fields allow.
    public static let maximumLength = fixedHeaderLength + maximumPatientIDLength + 1 + maximumSerialLength
        + maximumLeads * 5 + 2 * maximumLeads * maximumSamplesPerLead + measurementLength + 2

    /// One lead: its code, scale and samples in counts.
    public struct Lead: Sendable, Hashable {
        /// SCP-ECG lead code (1 = I, 2 = II, 61 = III, 62 aVR, 63 aVL, 64 aVF, 3…8 = V1…V6).
        public var code: UInt8
        /// Nanovolts per count.
        public var nanovoltsPerCount: UInt32
        /// The samples, in counts.
        public var samples: [Int16]

        public init(code: UInt8, nanovoltsPerCount: UInt32, samples: [Int16]) {
            self.code = code
            self.nanovoltsPerCount = nanovoltsPerCount
            self.samples = samples
        }
    }

    /// Samples per second.
    public var sampleRate: Int
    /// Acquisition time as the frame states it (not yet checked for validity).
    public var acquired: LocalDateTime
    /// Patient ID bytes as sent (UTF-8 expected; empty = none).
    public var patientID: [UInt8]
    /// The cart's serial, ASCII (empty = not sent).
    public var serial: [UInt8]
    /// The leads, each with the same number of samples.
    public var leads: [Lead]
    /// Heart rate, PR, QRS, QT, QTc, P axis, QRS axis, T axis as sent (0x7FFF = not measured).
    public var measurementWords: [Int16]

    public init(sampleRate: Int, acquired: LocalDateTime, patientID: [UInt8], serial: [UInt8], leads: [Lead], measurementWords: [Int16]) {
        self.sampleRate = sampleRate
        self.acquired = acquired
        self.patientID = patientID
        self.serial = serial
        self.leads = leads
        self.measurementWords = measurementWords
    }

    /// Whether a sample rate gives a whole number of microseconds per sample.
    public static func isSupportedRate(_ hz: Int) -> Bool {
        hz >= 50 && hz <= 10_000 && 1_000_000 % hz == 0
    }

    /// The frame length the counts imply.
    public static func length(leads: Int, samplesPerLead: Int, patientIDLength: Int, serialLength: Int) -> Int {
        fixedHeaderLength + patientIDLength + 1 + serialLength + leads * 5 + 2 * leads * samplesPerLead + measurementLength + 2
    }

    /// The header bytes (magic through the per-lead scales): the frame's identity without its
    /// samples, kept as a reading's raw provenance.
    public var headerBytes: [UInt8] {
        let samples = leads.first?.samples.count ?? 0
        let total = Self.length(leads: leads.count, samplesPerLead: samples, patientIDLength: patientID.count, serialLength: serial.count)
        var out = Self.magic
        func u16(_ v: Int) { out.append(UInt8(truncatingIfNeeded: v)); out.append(UInt8(truncatingIfNeeded: v >> 8)) }
        u16(total); u16(total >> 16)
        out.append(Self.version)
        out.append(UInt8(truncatingIfNeeded: leads.count))
        u16(sampleRate)
        u16(samples)
        u16(acquired.year)
        for part in [acquired.month, acquired.day, acquired.hour, acquired.minute, acquired.second] { out.append(UInt8(truncatingIfNeeded: part)) }
        out.append(UInt8(truncatingIfNeeded: patientID.count))
        out += patientID
        out.append(UInt8(truncatingIfNeeded: serial.count))
        out += serial
        for lead in leads { out.append(lead.code) }
        for lead in leads {
            let s = Int(lead.nanovoltsPerCount)
            u16(s); u16(s >> 16)
        }
        return out
    }

    /// The frame on the wire (the cart's side; tests, benchmarks and capture tools use it).
    public var bytes: [UInt8] {
        var out = headerBytes
        out.reserveCapacity(out.count + 2 * leads.count * (leads.first?.samples.count ?? 0) + 18)
        for lead in leads {
            for s in lead.samples {
                let u = UInt16(bitPattern: s)
                out.append(UInt8(truncatingIfNeeded: u)); out.append(UInt8(truncatingIfNeeded: u >> 8))
            }
        }
        for i in 0..<8 {
            let u = UInt16(bitPattern: i < measurementWords.count ? measurementWords[i] : Self.notMeasured)
            out.append(UInt8(truncatingIfNeeded: u)); out.append(UInt8(truncatingIfNeeded: u >> 8))
        }
        let crc = out.withUnsafeBytes { CCITTFalse.checksum($0) }
        out.append(UInt8(truncatingIfNeeded: crc)); out.append(UInt8(truncatingIfNeeded: crc >> 8))
        return out
    }

    /// The measurements, with 0x7FFF as nil.
    public var measurements: ECGMeasurements {
        func word(_ i: Int) -> Int? {
            guard i < measurementWords.count, measurementWords[i] != Self.notMeasured else { return nil }
            // Intervals and the rate are unsigned on the wire; axes are signed.
            return i < 5 ? Int(UInt16(bitPattern: measurementWords[i])) : Int(measurementWords[i])
        }
        return ECGMeasurements(heartRate: word(0), prInterval: word(1), qrsDuration: word(2), qtInterval: word(3),
                               qtcInterval: word(4), pAxis: word(5), qrsAxis: word(6), tAxis: word(7))
    }

    /// The ECG this frame carries, or why it cannot be one. Samples stay in counts when every
    /// lead has the same scale (the normal case); leads with different scales are brought to
    /// their greatest common scale exactly, so the physical values never change.
    public func record() -> Result<ECGRecord, ECGProblem> {
        guard acquired.isValid else { return .failure(.invalidTime(acquired.description)) }
        var patient: String?
        if !patientID.isEmpty {
            guard let text = String(validating: patientID, as: UTF8.self) else { return .failure(.patientIDNotUTF8) }
            patient = text
        }
        guard !leads.isEmpty else { return .failure(.noLeads) }
        var common: UInt64 = 0
        for lead in leads {
            guard lead.nanovoltsPerCount > 0 else { return .failure(.zeroScale(lead: ECGLeadCode.name(lead.code))) }
            common = Self.gcd(common, UInt64(lead.nanovoltsPerCount))
        }
        var out: [WaveformLead] = []
        out.reserveCapacity(leads.count)
        for lead in leads {
            let multiplier = Int64(UInt64(lead.nanovoltsPerCount) / common)
            var samples = [Int32](repeating: 0, count: lead.samples.count)
            for (i, s) in lead.samples.enumerated() {
                let v = Int64(s) * multiplier
                guard let narrow = Int32(exactly: v) else { return .failure(.scaleOutOfRange(lead: ECGLeadCode.name(lead.code))) }
                samples[i] = narrow
            }
            out.append(WaveformLead(name: ECGLeadCode.name(lead.code), samples: samples))
        }
        let waveform = Waveform(periodMillis: ECGRecord.thousandths(1_000_000 / sampleRate), factor: ECGRecord.thousandths(Int(common)),
                                leads: out)
        let serialText = serial.isEmpty ? nil : String(decoding: serial, as: UTF8.self)
        return .success(ECGRecord(patientID: patient, acquired: acquired, waveform: waveform, measurements: measurements,
                                  deviceSerial: serialText, deviceModel: nil))
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
