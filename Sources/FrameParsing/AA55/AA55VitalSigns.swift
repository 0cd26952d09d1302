/// Token 43 type 01: `01 s1 s0 mean dia pulse`. Systolic is `(s1 & 7F) << 8 | s0`; bit 7 of
/// s1 set means the module saw an irregular heartbeat. A mean of 0 means none was reported.
public struct AA55BloodPressure: Sendable, Equatable {
    public var systolic: Int
    public var mean: Int
    public var diastolic: Int
    public var pulse: Int
    public var irregularHeartbeat: Bool

    public init(systolic: Int, mean: Int, diastolic: Int, pulse: Int, irregularHeartbeat: Bool) {
        self.systolic = systolic
        self.mean = mean
        self.diastolic = diastolic
        self.pulse = pulse
        self.irregularHeartbeat = irregularHeartbeat
    }

    init(_ b: InlineBytes) {
        self.init(systolic: Int(b[1] & 0x7F) << 8 | Int(b[2]), mean: Int(b[3]), diastolic: Int(b[4]),
                  pulse: Int(b[5]), irregularHeartbeat: b[1] & 0x80 != 0)
    }
}

/// Token 43 type 02: why a blood-pressure measurement failed.
public struct AA55BloodPressureError: Sendable, Equatable, CustomStringConvertible {
    public var code: UInt8

    public init(code: UInt8) { self.code = code }

    /// The meaning the vendor SDK gives each code; nil for a code it does not list.
    public var meaning: String? {
        switch code {
        case 1: return "self-test failed"
        case 2: return "cuff error"
        case 3: return "air leak"
        case 4: return "pressure error"
        case 5: return "weak signal"
        case 6: return "out of measuring range"
        case 7: return "too much movement"
        case 8: return "over-pressure detected"
        case 9: return "signal saturated"
        case 10: return "leak during the measurement"
        case 11: return "module error"
        case 12: return "measurement timed out"
        case 14: return "battery too low"
        case 15: return "wrong cuff type"
        default: return nil
        }
    }

    public var description: String { "blood-pressure error \(code): \(meaning ?? "code not documented")" }
}

/// Token 53: `type spo2 prLow prHigh pi status`. Pulse rate is little-endian (0–511);
/// perfusion index in tenths; status bit 1 set = probe off; status bits 7–6 = mode
/// (0 adult, 1 neonate, 2 animal).
public struct AA55SpO2Parameters: Sendable, Equatable {
    public var spo2: Int
    public var pulseRate: Int
    public var perfusionTenths: Int
    public var probeOff: Bool
    public var mode: UInt8

    public init(spo2: Int, pulseRate: Int, perfusionTenths: Int, probeOff: Bool, mode: UInt8) {
        self.spo2 = spo2
        self.pulseRate = pulseRate
        self.perfusionTenths = perfusionTenths
        self.probeOff = probeOff
        self.mode = mode
    }

    init(_ b: InlineBytes) {
        self.init(spo2: Int(b[1]), pulseRate: Int(b[2]) | Int(b[3]) << 8, perfusionTenths: Int(b[4]),
                  probeOff: b[5] & 0x02 != 0, mode: b[5] >> 6)
    }

    /// Whether these parameters are a value worth keeping: probe on, SpO2 1–100 %.
    public var isValid: Bool { !probeOff && (1...100).contains(spo2) }
}

/// Token 74: `type result valueHigh valueLow`. Result bit 0 is the unit (0 °C, 1 °F); bits 2–1
/// are 0 for a value, 1 below range, 2 above range. The value is big-endian in hundredths on
/// current boards and in tenths on older ones (see `AA55Message.version`).
public struct AA55Temperature: Sendable, Equatable {
    public var result: UInt8
    public var raw: Int

    public init(result: UInt8, raw: Int) {
        self.result = result
        self.raw = raw
    }

    init(_ b: InlineBytes) {
        self.init(result: b[1], raw: Int(b[2]) << 8 | Int(b[3]))
    }

    /// Whether the value is in Fahrenheit.
    public var fahrenheit: Bool { result & 0x01 != 0 }
    /// Bits 2–1: 0 value, 1 low, 2 high, 3 undocumented.
    public var rangeCode: UInt8 { (result >> 1) & 0x03 }
}
