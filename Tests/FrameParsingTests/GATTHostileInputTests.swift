import Testing
import FrameParsing
import PocGateCore

/// Hostile values for every GATT decoder: every length 0…40 of every flag byte, flags that
/// promise fields that are not there, and random bytes. Nothing traps; a value is decoded or
/// refused with a `GATTDecodeError`; a decoded record maps to readings or a problem, and
/// every reading is coded.
@Suite struct GATTHostileInputTests {
    static func decodeAll(_ v: [UInt8]) {
        func check(_ readings: [Reading]) {
            for r in readings {
                #expect(!r.code.isEmpty && r.deviceTime.isValid, "\(Hex.string(v))")
                for c in r.components { #expect(!c.code.isEmpty) }
            }
        }
        if let g = try? GATTGlucoseRecord.decode(v) {
            if case let .success(r) = g.reading(profileID: "p", serial: "s", model: "m") { check([r]) }
            if let c = try? GATTGlucoseContext.decode(v), case let .success(r) = g.reading(context: c, profileID: "p", serial: "s", model: "m") {
                check([r])
            }
        }
        if let b = try? GATTBloodPressureRecord.decode(v), case let .success(r) = b.readings(profileID: "p", serial: "s", model: "m") { check(r) }
        if let t = try? GATTTemperatureRecord.decode(v), case let .success(r) = t.reading(profileID: "p", serial: "s", model: "m") { check([r]) }
        if let s = try? GATTSpotCheckRecord.decode(v), case let .success(r) = s.readings(profileID: "p", serial: "s", model: "m") { check(r) }
        if let w = try? GATTWeightRecord.decode(v), case let .success(r) = w.readings(profileID: "p", serial: "s", model: "m") { check(r) }
        _ = try? GATTCurrentTime.decode(v)
        _ = try? GATTDateTime.decode(v)
        _ = try? GATTDeviceInformation.SystemID.decode(v)
        _ = GATTDeviceInformation.string(v, what: "serial")
        _ = try? GATTRecordAccessControlPoint.decodeResponse(v)
        if GATTRecordAccessControlPoint.mayTransmit(v) { #expect(v[0] == 0x01 || v[0] == 0x04) }
    }

    /// Every flag byte with every length 0…40 of a fixed filler: short values are refused as
    /// truncated, never read past their end.
    @Test func everyFlagByteAndEveryLengthNeverTraps() {
        for flags in 0...255 {
            for length in 0...40 {
                var v = [UInt8](repeating: 0x11, count: length)
                if length > 0 { v[0] = UInt8(flags) }
                Self.decodeAll(v)
            }
        }
    }

    /// Flags promising every optional field, the value cut one byte short: a truncation that
    /// names the field, never a record with a missing field filled in.
    @Test func flagsPromisingAbsentFieldsAreTruncations() {
        let cases: [(String, [UInt8], (([UInt8]) throws(GATTDecodeError) -> Void))] = [
            ("glucose", Hex.parse("1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00")!, { v throws(GATTDecodeError) in _ = try GATTGlucoseRecord.decode(v) }),
            ("context", Hex.parse("DF 10 00 00 01 32 D0 02 52 10 0E 32 01 05 A0 41 F0")!, { v throws(GATTDecodeError) in _ = try GATTGlucoseContext.decode(v) }),
            ("bp", Hex.parse("1E 78 00 50 00 FF 07 EA 07 0C 07 08 1E 0F 48 00 01 04 00")!, { v throws(GATTDecodeError) in _ = try GATTBloodPressureRecord.decode(v) }),
            ("hts", Hex.parse("06 6D 01 00 FF EA 07 0C 07 08 1E 0F 06")!, { v throws(GATTDecodeError) in _ = try GATTTemperatureRecord.decode(v) }),
            ("plx", Hex.parse("0F 62 00 48 00 EA 07 0C 07 08 1E 0F 80 00 00 00 00 37 F0")!, { v throws(GATTDecodeError) in _ = try GATTSpotCheckRecord.decode(v) }),
            ("wss", Hex.parse("0E 14 37 EA 07 0C 07 08 1E 0F 01 E1 00 EA 06")!, { v throws(GATTDecodeError) in _ = try GATTWeightRecord.decode(v) }),
            ("cts", Hex.parse("EA 07 0C 07 08 1E 0F 01 80 01")!, { v throws(GATTDecodeError) in _ = try GATTCurrentTime.decode(v) }),
        ]
        for (name, full, decode) in cases {
            #expect(throws: Never.self, "\(name) whole") { try decode(full) }
            for cut in 0..<full.count {
                do throws(GATTDecodeError) {
                    try decode(Array(full.prefix(cut)))
                    Issue.record("\(name) cut to \(cut) bytes decoded")
                } catch {
                    guard case let .truncated(_, field, length) = error else { Issue.record("\(name): \(error)"); continue }
                    #expect(length == cut && !field.isEmpty)
                }
            }
        }
    }

    /// Random values of random lengths (a fixed generator: the same inputs every run).
    @Test func randomValuesNeverTrap() {
        var state: UInt64 = 0x2A18_2A35
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<20_000 {
            let length = Int(next() % 41)
            Self.decodeAll((0..<length).map { _ in UInt8(truncatingIfNeeded: next()) })
        }
    }
}
