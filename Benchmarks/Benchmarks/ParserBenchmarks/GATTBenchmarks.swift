import Benchmark
import FrameParsing
import PocGateCore

/// GATT Glucose profile: 100,000 Glucose Measurement values (with time offset, concentration
/// and sensor status, as a meter's "report stored records" hands them over) decoded and
/// mapped to readings: values/s and readings/s per core, mallocs per reading.
func gattBenchmarks() {
    let decoding = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.framesPerSecond, ParserMetric.recordsPerSecond,
                  ParserMetric.mallocsPerThousandRecords],
        warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 10)
    Benchmark("GATT glucose: measurement values → readings, 100,000 records", configuration: decoding) { benchmark, values in
        let mallocsBefore = mallocCount()
        let start = ContinuousClock.now
        var readings = 0
        var digest = 0
        for value in values {
            guard let record = try? GATTGlucoseRecord.decode(value) else { continue }
            if case let .success(r) = record.reading(profileID: "gatt-glucose", serial: "SN", model: "Meter") {
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
        GATTBenchValues.glucose(count: 100_000)
    }
}

/// Glucose Measurement values: flags 0x0B (time offset, concentration in kg/L, sensor status),
/// sequence numbers 1…N, times and values drawn from a fixed generator.
enum GATTBenchValues {
    static func glucose(count: Int) -> [[UInt8]] {
        var rng = SplitMix(seed: 0x2A18)
        return (0..<count).map { i in
            let r = rng.next()
            let seq = UInt16(truncatingIfNeeded: i + 1)
            let year = 2020 + Int(r % 7), month = 1 + Int(r >> 3 % 12), day = 1 + Int(r >> 7 % 28)
            let mgdL = 40 + Int(r >> 12 % 400)
            let sfloat = UInt16(0xB000) | UInt16(mgdL)   // mgdL × 10⁻⁵ kg/L
            let offset = Int16(truncatingIfNeeded: Int(r >> 24 % 120) - 60)
            return [0x0B, UInt8(seq & 0xFF), UInt8(seq >> 8), UInt8(year & 0xFF), UInt8(year >> 8), UInt8(month), UInt8(day),
                    UInt8(r >> 30 % 24), UInt8(r >> 36 % 60), UInt8(r >> 42 % 60),
                    UInt8(UInt16(bitPattern: offset) & 0xFF), UInt8(UInt16(bitPattern: offset) >> 8),
                    UInt8(sfloat & 0xFF), UInt8(sfloat >> 8), 0x11, 0x00, 0x00]
        }
    }
}
