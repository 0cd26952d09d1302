import Benchmark
import FrameParsing

/// Size of the generated capture each framing benchmark decodes per iteration.
let captureBytes = 64 << 20

let benchmarks: @Sendable () -> Void = {
    let framing = Benchmark.Configuration(metrics: ParserMetric.framing, warmupIterations: 1,
                                          maxDuration: .seconds(15), maxIterations: 30)
    for codec in parserCodecs() {
        Benchmark("\(codec.name) framing: forEachFrame, 64 KiB reads", configuration: framing) { benchmark, capture in
            measureFraming(benchmark, capture, target: codec.kind) { codec.batch($0, 64 << 10) }
        } setup: {
            codec.capture(atLeast: captureBytes)
        }
        Benchmark("\(codec.name) framing: forEachFrame, 64 KiB reads, 1% line noise", configuration: framing) { benchmark, capture in
            measureFraming(benchmark, capture, target: codec.kind) { codec.batch($0, 64 << 10) }
        } setup: {
            codec.capture(atLeast: captureBytes, noisePercent: 1)
        }
        Benchmark("\(codec.name) framing: append + next, 4 KiB reads", configuration: framing) { benchmark, capture in
            measureFraming(benchmark, capture, target: codec.kind) { codec.appendNext($0, 4 << 10) }
        } setup: {
            codec.capture(atLeast: captureBytes)
        }
    }

    // The floor alone, over the first codec's capture.
    if let codec = parserCodecs().first {
        let floor = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.megabytesPerSecond],
                                            warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 30)
        Benchmark("memchr floor", configuration: floor) { benchmark, capture in
            capture.floorBytes.withUnsafeBytes { bytes in
                let start = ContinuousClock.now
                blackHole(memchrFloor(bytes, capture.absentByte))
                benchmark.measurement(ParserMetric.megabytesPerSecond, Int(Double(bytes.count) / 1e6 / seconds(since: start)))
            }
        } setup: {
            codec.capture(atLeast: captureBytes)
        }
    }

    // The declarative (profile-language) TD-4277 decoder: DeclarativeBenchmarks.swift.
    declarativeBenchmarks()

    // TaiDoc dump assembly, frames → readings, without the framing: 1,000 dumps of 500 records.
    let assembly = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.recordsPerSecond,
                  ParserMetric.mallocsPerThousandRecords],
        warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 10)
    Benchmark("TaiDoc dump assembly: frames → readings, 500-record dumps", configuration: assembly) { benchmark, capture in
        let mallocsBefore = mallocCount()
        let start = ContinuousClock.now
        let (readings, digest) = assembleDumps(capture.frames, starts: capture.starts)
        let elapsed = seconds(since: start)
        let mallocs = mallocCount() - mallocsBefore
        benchmark.stopMeasurement()
        blackHole(digest)
        benchmark.measurement(ParserMetric.recordsPerSecond, Int(Double(readings) / elapsed))
        benchmark.measurement(ParserMetric.mallocsPerThousandRecords, mallocs * 1000 / max(1, readings))
    } setup: {
        TaiDocDumpCapture.frames(dumps: 1000, recordsPerDump: 500)
    }

    ieee11073Benchmarks()
    // GATT Glucose Measurement values → readings: GATTBenchmarks.swift.
    gattBenchmarks()
    // 12-lead ECG codecs (ECGBenchmarks.swift).
    ecgBenchmarks()
    hl7Benchmarks()
    // ASTM E1381/E1394 (ASTMBenchmarks.swift).
    astmBenchmarks()
    // Bytes → readings through each codec's replay entry point (WholePathBenchmarks.swift).
    wholePathBenchmarks()
    // Adversarial inputs for every framing codec (HostileBenchmarks.swift).
    hostileBenchmarks()
}
