import Benchmark
import MallocInterposerSwift

/// Custom metrics the parser benchmarks report, per iteration (one pass over the capture).
enum ParserMetric {
    static let megabytesPerSecond = BenchmarkMetric.custom("MB/s (10^6 B)", polarity: .prefersLarger, useScalingFactor: false)
    static let framesPerSecond = BenchmarkMetric.custom("frames/s", polarity: .prefersLarger, useScalingFactor: false)
    static let percentOfFloor = BenchmarkMetric.custom("% of memchr floor", polarity: .prefersLarger, useScalingFactor: false)
    static let percentOfTarget = BenchmarkMetric.custom("% of target MB/s", polarity: .prefersLarger, useScalingFactor: false)
    static let floorMegabytesPerSecond = BenchmarkMetric.custom("memchr floor MB/s", polarity: .prefersLarger, useScalingFactor: false)
    static let mallocsPerMillionFrames = BenchmarkMetric.custom("mallocs per 10^6 frames", polarity: .prefersSmaller, useScalingFactor: false)
    static let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)
    static let mallocsPerThousandRecords = BenchmarkMetric.custom("mallocs per 1000 records", polarity: .prefersSmaller, useScalingFactor: false)

    /// Everything a framing benchmark reports.
    static let framing: [BenchmarkMetric] = [
        .wallClock, .cpuTotal, .mallocCountTotal, .throughput,
        megabytesPerSecond, framesPerSecond, percentOfTarget, percentOfFloor, floorMegabytesPerSecond, mallocsPerMillionFrames,
    ]
}

/// Malloc calls so far, from the interposer ordo-one uses for its malloc metrics.
func mallocCount() -> Int {
    MallocInterposerSwift.getStatistics().mallocCount
}

/// Seconds elapsed since `start` on the monotonic clock.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// One iteration of a framing benchmark for a codec of kind `target`: `decode` over the whole
/// capture (measured), then,
/// outside the measured time, the `memchr` floor over the capture's bytes (`floorBytes`) and
/// the derived metrics.
func measureFraming(_ benchmark: Benchmark, _ capture: Capture, target: CodecBench.Kind,
                    _ decode: (UnsafeRawBufferPointer) -> Tally) {
    capture.bytes.withUnsafeBytes { bytes in
        let mallocsBefore = mallocCount()
        let start = ContinuousClock.now
        let tally = decode(bytes)
        let elapsed = seconds(since: start)
        let mallocs = mallocCount() - mallocsBefore
        benchmark.stopMeasurement()
        blackHole(tally.digest)

        let floorElapsed = capture.floorBytes.withUnsafeBytes { floor in
            let floorStart = ContinuousClock.now
            blackHole(memchrFloor(floor, capture.absentByte))
            return seconds(since: floorStart)
        }

        guard tally.frames == capture.frames, tally.skipped == capture.noiseBytes else {
            benchmark.error("decoded \(tally.frames) frames (\(tally.skipped) bytes skipped), the capture has \(capture.frames) (\(capture.noiseBytes))")
            return
        }
        let megabytes = Double(bytes.count) / 1e6
        benchmark.measurement(ParserMetric.megabytesPerSecond, Int(megabytes / elapsed))
        benchmark.measurement(ParserMetric.percentOfTarget, Int(100 * megabytes / elapsed / Double(target.targetMBps)))
        benchmark.measurement(ParserMetric.framesPerSecond, Int(Double(tally.frames) / elapsed))
        benchmark.measurement(ParserMetric.floorMegabytesPerSecond, Int(megabytes / floorElapsed))
        benchmark.measurement(ParserMetric.percentOfFloor, Int((100 * floorElapsed / elapsed).rounded()))
        benchmark.measurement(ParserMetric.mallocsPerMillionFrames, mallocs * 1_000_000 / max(1, tally.frames))
    }
}
