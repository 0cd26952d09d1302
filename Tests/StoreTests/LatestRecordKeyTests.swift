import PocGateCore
import Store
import TestSupport
import Testing

/// `Store.latestRecordKey`: where a GATT glucose session resumes. It must name the record stored
/// last for that meter with that key prefix, never another meter's or another family's.
@Suite struct LatestRecordKeyTests {
    static func reading(_ serial: String, _ key: String) -> Reading {
        var r = sampleReading(key: key, value: "98", unit: "mg/dL", flags: [])
        r.deviceSerial = serial
        return r
    }

    /// Risk: a reconnect asking the meter only for records after another meter's (or another
    /// protocol's) last one, so this meter's newer records are never read.
    @Test func namesTheRecordStoredLastForThatMeterAndPrefixOnly() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("k.db"))
        #expect(try store.latestRecordKey(deviceSerial: "GLS1", prefix: "gls|") == nil)
        for (serial, key) in [("GLS1", "gls|9|2024-06-01"), ("GLS1", "gls|10|2024-06-02"), ("GLS2", "gls|500|2024-06-03"),
                              ("GLS1", "bls|-|2024-06-04"), ("GLS1", "xgls|77|x")] {
            _ = try store.insert(Self.reading(serial, key), sessionID: nil, receivedAtMillis: 1)
        }
        #expect(try store.latestRecordKey(deviceSerial: "GLS1", prefix: "gls|") == "gls|10|2024-06-02")
        #expect(try store.latestRecordKey(deviceSerial: "GLS2", prefix: "gls|") == "gls|500|2024-06-03")
        #expect(try store.latestRecordKey(deviceSerial: "GLS3", prefix: "gls|") == nil)
    }
}
