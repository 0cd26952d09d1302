import Benchmark
import FrameParsing

/// Linear cost whatever the bytes: every codec's hostile shapes (HostileInputs.swift) at 1 MiB
/// and 4 MiB, decoded through `append` + `next()` in 4 KiB reads (the daemon's read loop, and
/// the path where a decoder that rescans its pending bytes on every read would show), in MB/s
/// per core next to the same decoder on its normal capture of the same size. A linear decoder
/// takes about 4 times as long for 4 MiB as for 1 MiB on every shape.
func hostileBenchmarks() {
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, ParserMetric.megabytesPerSecond],
                                         warmupIterations: 0, maxDuration: .seconds(5), maxIterations: 3)
    for hostile in hostileCodecs() {
        let codec = hostile.codec
        for size in HostileCodec.sizes {
            let label = "\(size >> 20) MiB"
            Benchmark("\(codec.name) hostile: normal capture, \(label)", configuration: config) { benchmark, bytes in
                measureHostile(benchmark, bytes, codec)
            } setup: {
                Array(codec.capture(atLeast: size).bytes.prefix(size))
            }
            for shape in hostile.shapes {
                Benchmark("\(codec.name) hostile: \(shape.name), \(label)", configuration: config) { benchmark, bytes in
                    measureHostile(benchmark, bytes, codec)
                } setup: {
                    HostileCodec.repeated(shape.unit, to: size)
                }
            }
        }
    }
}

/// One pass of `codec` over `bytes` in 4 KiB reads, reported as MB/s.
func measureHostile(_ benchmark: Benchmark, _ bytes: [UInt8], _ codec: CodecBench) {
    bytes.withUnsafeBytes { raw in
        let start = ContinuousClock.now
        let tally = codec.appendNext(raw, 4 << 10)
        let elapsed = seconds(since: start)
        benchmark.stopMeasurement()
        blackHole(tally.digest)
        benchmark.measurement(ParserMetric.megabytesPerSecond, Int(Double(raw.count) / 1e6 / elapsed))
    }
}
