import Benchmark
import FrameParsing

/// The declarative (interpreted) TD-4277 decoder against the hand-written TaiDoc decoder, on
/// the same bytes: the TaiDoc codec's 64 MiB capture of meter replies. The spec below is what
/// DeviceProfiles/taidoc/td4277-declarative/profile.yaml compiles to (frame, require, records).
enum DeclarativeBench {
    static let td4277: DeclarativeSpec = {
        let commands: [(String, UInt8)] = [("wake", 0x22), ("comm_mode", 0x54), ("model", 0x24), ("serial_high", 0x28),
                                          ("serial_low", 0x27), ("clock", 0x23), ("count", 0x2B), ("time", 0x25),
                                          ("value", 0x26), ("power_off", 0x50)]
        return DeclarativeSpec(
            frame: FrameSpec(start: [0x51], length: .fixed(8), maximumLength: 8,
                             checksum: ChecksumSpec(family: .sum8, from: 0, to: 6, position: 7),
                             require: [ByteRule(offset: 6, value: 0xA5)]),
            records: commands.map { RecordSpec(name: $0.0, rules: [ByteRule(offset: 1, value: $0.1)]) },
            readings: [], device: DeviceIdentitySpec())
    }()

    static var taidoc: CodecBench { parserCodecs().first { $0.name == "TaiDoc" }! }
}

/// Registers the declarative benchmarks (called from `benchmarks`).
func declarativeBenchmarks() {
    let framing = Benchmark.Configuration(metrics: ParserMetric.framing, warmupIterations: 1,
                                          maxDuration: .seconds(15), maxIterations: 30)
    let decoder = DeclarativeFrameDecoder(DeclarativeBench.td4277)
    Benchmark("TD-4277 declarative framing: forEachFrame, 64 KiB reads", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: .binary) { decodeBatch(decoder, $0, chunk: 64 << 10) }
    } setup: {
        DeclarativeBench.taidoc.capture(atLeast: captureBytes)
    }
    Benchmark("TD-4277 declarative framing: append + next, 4 KiB reads", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: .binary) { decodeAppendNext(decoder, $0, chunk: 4 << 10) }
    } setup: {
        DeclarativeBench.taidoc.capture(atLeast: captureBytes)
    }
    // Both decoders on the same bytes in one iteration: the interpreter's share of the
    // hand-written decoder's speed.
    let ratio = Benchmark.Configuration(metrics: [.wallClock, ParserMetric.percentOfHandWritten],
                                        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)
    Benchmark("TD-4277 declarative vs hand-written: forEachFrame, 64 KiB reads", configuration: ratio) { benchmark, capture in
        capture.bytes.withUnsafeBytes { bytes in
            let s1 = ContinuousClock.now
            let hand = decodeBatch(TaiDocFrameDecoder(direction: .meterToHost), bytes, chunk: 64 << 10)
            let handSeconds = seconds(since: s1)
            let s2 = ContinuousClock.now
            let interpreted = decodeBatch(decoder, bytes, chunk: 64 << 10)
            let interpretedSeconds = seconds(since: s2)
            precondition(hand.frames == interpreted.frames && hand.frames == capture.frames, "decoders disagree")
            blackHole(hand.digest &+ interpreted.digest)
            benchmark.measurement(ParserMetric.percentOfHandWritten, Int(100 * handSeconds / interpretedSeconds))
        }
    } setup: {
        DeclarativeBench.taidoc.capture(atLeast: captureBytes)
    }
}

extension ParserMetric {
    /// Interpreted decoder speed as a percentage of the hand-written one on the same bytes.
    static let percentOfHandWritten = BenchmarkMetric.custom("% of hand-written speed", polarity: .prefersLarger, useScalingFactor: false)
}
