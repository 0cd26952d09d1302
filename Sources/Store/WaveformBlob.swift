public import PocGateCore

/// The `readings.waveform` column: a whole waveform as one compact BLOB, every sample kept.
///
/// Layout (all integers little-endian):
/// ```
/// "PGW1"                                  4 bytes, magic and version
/// period_ms, factor, origin, unit         each: u8 length + UTF-8 text (exact decimals as written; UCUM unit)
/// lead count                              u16
/// per lead: name                          u8 length + UTF-8 text (I, II, …, V6)
///           sample count                  u32
///           samples                       count × i32
/// ```
/// A 12-lead, 10 s, 500 Hz ECG (12 × 5,000 samples) takes about 240 kB.
public enum WaveformBlob {
    static let magic: [UInt8] = Array("PGW1".utf8)

    /// The column bytes for `waveform`.
    public static func encode(_ waveform: Waveform) -> [UInt8] {
        var out = magic
        out.reserveCapacity(64 + waveform.leads.reduce(0) { $0 + 8 + $1.name.utf8.count + 4 * $1.samples.count })
        for text in [waveform.periodMillis.description, waveform.factor.description, waveform.origin.description, waveform.unit] {
            appendText(text, to: &out)
        }
        appendLE(UInt32(waveform.leads.count), bytes: 2, to: &out)
        for lead in waveform.leads {
            appendText(lead.name, to: &out)
            appendLE(UInt32(lead.samples.count), bytes: 4, to: &out)
            for sample in lead.samples { appendLE(UInt32(bitPattern: sample), bytes: 4, to: &out) }
        }
        return out
    }

    /// The waveform a column holds; nil when the bytes are not what `encode` writes.
    public static func decode(_ bytes: [UInt8]) -> Waveform? {
        var i = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, bytes.count - i >= n else { return nil }
            defer { i += n }
            return bytes[i..<i + n]
        }
        func le(_ n: Int) -> UInt32? {
            guard let s = take(n) else { return nil }
            var v: UInt32 = 0
            for (k, b) in s.enumerated() { v |= UInt32(b) << (8 * UInt32(k)) }
            return v
        }
        func text() -> String? {
            guard let n = le(1), let s = take(Int(n)) else { return nil }
            return String(validating: s, as: UTF8.self)
        }
        guard take(4).map(Array.init) == magic, let period = text().flatMap(ExactDecimal.init(parsing:)),
              let factor = text().flatMap(ExactDecimal.init(parsing:)), let origin = text().flatMap(ExactDecimal.init(parsing:)),
              let unit = text(), let leadCount = le(2) else { return nil }
        var leads: [WaveformLead] = []
        for _ in 0..<leadCount {
            guard let name = text(), let count = le(4), let raw = take(Int(count) * 4) else { return nil }
            var samples = [Int32](repeating: 0, count: Int(count))
            raw.withUnsafeBytes { buffer in
                for k in 0..<Int(count) {
                    samples[k] = Int32(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
                }
            }
            leads.append(WaveformLead(name: name, samples: samples))
        }
        guard i == bytes.count else { return nil }
        return Waveform(periodMillis: period, factor: factor, origin: origin, unit: unit, leads: leads)
    }

    private static func appendText(_ text: String, to out: inout [UInt8]) {
        let utf8 = Array(text.utf8.prefix(255))
        out.append(UInt8(utf8.count))
        out += utf8
    }

    private static func appendLE(_ value: UInt32, bytes: Int, to out: inout [UInt8]) {
        for k in 0..<bytes { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))) }
    }
}
