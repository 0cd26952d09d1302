import Benchmark
import FrameParsing
#if canImport(Glibc)
import Glibc
#endif

/// Linear cost whatever the bytes: every codec's hostile shapes (HostileInputs.swift) at 1 MiB
/// and 4 MiB, decoded through `append` + `next()` in 4 KiB reads (the daemon's read loop, and
/// the path where a decoder that rescans its pending bytes on every read would show), in MB/s
/// per core next to the same decoder on its normal capture of the same size. A linear decoder
/// takes about 4 times as long for 4 MiB as for 1 MiB on every shape.
func hostileBenchmarks() {
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, ParserMetric.megabytesPerSecond, cpuMegabytesPerSecond],
                                         warmupIterations: 0, maxDuration: .seconds(5), maxIterations: 3)
    for hostile in hostileCodecs() {
        let codec = hostile.codec
        for size in HostileCodec.sizes {
            let label = "\(size >> 20) MiB"
            Benchmark("\(codec.name) hostile: normal capture, \(label)", configuration: config) { (benchmark: Benchmark, bytes: [UInt8]) in
                measureHostile(benchmark, bytes, codec)
            } setup: { () -> [UInt8] in
                Array(codec.capture(atLeast: size).bytes.prefix(size))
            }
            for shape in hostile.shapes {
                Benchmark("\(codec.name) hostile: \(shape.name), \(label)", configuration: config) { (benchmark: Benchmark, bytes: [UInt8]) in
                    measureHostile(benchmark, bytes, codec)
                } setup: { () -> [UInt8] in
                    HostileCodec.repeated(shape.unit, to: size)
                }
            }
        }
    }
}

/// MB/s over this thread's processor time: the decoder's own cost, whatever else the machine runs.
let cpuMegabytesPerSecond = BenchmarkMetric.custom("MB/s (10^6 B) per thread CPU second", polarity: .prefersLarger, useScalingFactor: false)

/// One pass of `codec` over `bytes` in 4 KiB reads, reported as MB/s of wall time and of
/// this thread's processor time.
func measureHostile(_ benchmark: Benchmark, _ bytes: [UInt8], _ codec: CodecBench) {
    bytes.withUnsafeBytes { raw in
        let cpuStart = threadCPUSeconds()
        let start = ContinuousClock.now
        let tally = codec.appendNext(raw, 4 << 10)
        let elapsed = seconds(since: start)
        let cpu = threadCPUSeconds() - cpuStart
        benchmark.stopMeasurement()
        blackHole(tally.digest)
        benchmark.measurement(ParserMetric.megabytesPerSecond, Int(Double(raw.count) / 1e6 / elapsed))
        benchmark.measurement(cpuMegabytesPerSecond, Int(Double(raw.count) / 1e6 / max(cpu, 1e-9)))
    }
}

/// This thread's processor time in seconds.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
