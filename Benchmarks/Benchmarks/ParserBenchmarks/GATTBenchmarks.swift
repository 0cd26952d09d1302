import Benchmark
import FrameParsing
import PocGateCore

/// The Bluetooth SIG GATT health profiles: 100,000 measurement values of each (as a device
/// hands them over: a meter's "report stored records", a monitor's indications) decoded and
/// mapped to readings: values/s and readings/s per core, mallocs per reading.
func gattBenchmarks() {
    let decoding = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.framesPerSecond, ParserMetric.recordsPerSecond,
                  ParserMetric.mallocsPerThousandRecords],
        warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 10)
    gattBenchmark("GATT glucose: measurement values → readings, 100,000 records", decoding, GATTBenchValues.glucose) { value in
        guard let record = try? GATTGlucoseRecord.decode(value),
              case let .success(r) = record.reading(profileID: "gatt-glucose", serial: "SN", model: "Meter") else { return [] }
        return [r]
    }
    gattBenchmark("GATT blood pressure: measurement values → readings, 100,000 records", decoding, GATTBenchValues.bloodPressure) {
        (try? GATTBloodPressureRecord.decode($0).readings(profileID: "gatt-bp", serial: "SN", model: "Monitor").get()) ?? []
    }
    gattBenchmark("GATT thermometer: measurement values → readings, 100,000 records", decoding, GATTBenchValues.temperature) {
        guard let r = try? GATTTemperatureRecord.decode($0).reading(profileID: "gatt-ht", serial: "SN", model: "Thermometer").get()
        else { return [] }
        return [r]
    }
    gattBenchmark("GATT pulse oximeter: spot-check values → readings, 100,000 records", decoding, GATTBenchValues.spotCheck) {
        (try? GATTSpotCheckRecord.decode($0).readings(profileID: "gatt-plx", serial: "SN", model: "Oximeter").get()) ?? []
    }
    gattBenchmark("GATT weight scale: measurement values → readings, 100,000 records", decoding, GATTBenchValues.weight) {
        (try? GATTWeightRecord.decode($0).readings(profileID: "gatt-ws", serial: "SN", model: "Scale").get()) ?? []
    }
}

/// One profile's benchmark: every value of `values(100_000)` through `map`.
private func gattBenchmark(_ name: String, _ configuration: Benchmark.Configuration, _ values: @escaping @Sendable (Int) -> [[UInt8]],
                           _ map: @escaping @Sendable ([UInt8]) -> [Reading]) {
    Benchmark(name, configuration: configuration) { benchmark, values in
        let mallocsBefore = mallocCount()
        let start = ContinuousClock.now
        var readings = 0
        var digest = 0
        for value in values {
            for r in map(value) {
                readings += 1
                digest &+= r.recordKey.utf8.count
            }
        }
        let elapsed = seconds(since: start)
        let mallocs = mallocCount() - mallocsBefore
        benchmark.stopMeasurement()
        blackHole(digest)
        benchmark.measurement(ParserMetric.framesPerSecond, Int(Double(values.count) / elapsed))
        benchmark.measurement(ParserMetric.recordsPerSecond, Int(Double(readings) / elapsed))
        benchmark.measurement(ParserMetric.mallocsPerThousandRecords, mallocs * 1000 / max(1, readings))
    } setup: {
        values(100_000)
    }
}

/// Measurement values of each profile, laid out as the GATT Specification Supplement gives
/// them, with times and values drawn from a fixed generator. Every multi-byte field is
/// little-endian.
enum GATTBenchValues {
    /// Glucose Measurement: flags 0x0B (time offset, concentration in kg/L, sensor status),
    /// sequence numbers 1…N.
    static func glucose(count: Int) -> [[UInt8]] {
        var rng = SplitMix(seed: 0x2A18)
        return (0..<count).map { i in
            let r = rng.next()
            let seq = UInt16(truncatingIfNeeded: i + 1)
            let mgdL = 40 + Int(r >> 12 % 400)
            let sfloat = UInt16(0xB000) | UInt16(mgdL)   // mgdL × 10⁻⁵ kg/L
            let offset = Int16(truncatingIfNeeded: Int(r >> 24 % 120) - 60)
            return [0x0B, UInt8(seq & 0xFF), UInt8(seq >> 8)] + dateTime(r)
                + [UInt8(UInt16(bitPattern: offset) & 0xFF), UInt8(UInt16(bitPattern: offset) >> 8),
                   UInt8(sfloat & 0xFF), UInt8(sfloat >> 8), 0x11, 0x00, 0x00]
        }
    }

    /// Blood Pressure Measurement: flags 0x1E (time stamp, pulse, user, status), mmHg, mean
    /// arterial pressure NaN (0x07FF, not measured).
    static func bloodPressure(count: Int) -> [[UInt8]] {
        var rng = SplitMix(seed: 0x2A35)
        return (0..<count).map { _ in
            let r = rng.next()
            let systolic = le16(90 + Int(r >> 8 % 90)), diastolic = le16(50 + Int(r >> 16 % 50))
            return [0x1E] + systolic + diastolic + [0xFF, 0x07] + dateTime(r) + le16(45 + Int(r >> 40 % 80)) + [0x01, 0x00, 0x00]
        }
    }

    /// Temperature Measurement: flags 0x06 (time stamp, type), FLOAT °C × 10⁻¹, type 6 (mouth).
    static func temperature(count: Int) -> [[UInt8]] {
        var rng = SplitMix(seed: 0x2A1C)
        return (0..<count).map { _ in
            let r = rng.next()
            return [0x06] + le16(350 + Int(r >> 8 % 70)) + [0x00, 0xFF] + dateTime(r) + [0x06]
        }
    }

    /// PLX Spot-Check Measurement: flags 0x01 (time stamp), SpO2 and pulse rate as SFLOAT.
    static func spotCheck(count: Int) -> [[UInt8]] {
        var rng = SplitMix(seed: 0x2A5E)
        return (0..<count).map { _ in
            let r = rng.next()
            return [0x01] + le16(88 + Int(r >> 8 % 13)) + le16(50 + Int(r >> 16 % 70)) + dateTime(r)
        }
    }

    /// Weight Measurement: flags 0x0E (time stamp, user, BMI and height), SI (kg × 0.005).
    static func weight(count: Int) -> [[UInt8]] {
        var rng = SplitMix(seed: 0x2A9D)
        return (0..<count).map { _ in
            let r = rng.next()
            return [0x0E] + le16(8000 + Int(r >> 8 % 16000)) + dateTime(r)
                + [0x01] + le16(150 + Int(r >> 24 % 200)) + le16(1500 + Int(r >> 34 % 400))
        }
    }

    /// A Date Time (year, month, day, hours, minutes, seconds) drawn from `r`.
    static func dateTime(_ r: UInt64) -> [UInt8] {
        le16(2020 + Int(r % 7)) + [UInt8(1 + r >> 3 % 12), UInt8(1 + r >> 7 % 28), UInt8(r >> 30 % 24), UInt8(r >> 36 % 60),
                                   UInt8(r >> 42 % 60)]
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
}
