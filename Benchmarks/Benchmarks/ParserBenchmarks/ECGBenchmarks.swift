import Benchmark
import FrameParsing
import PocGateCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Metrics of the ECG benchmarks.
enum ECGMetric {
    static let ecgsPerSecond = BenchmarkMetric.custom("ECGs/s", polarity: .prefersLarger, useScalingFactor: false)
    static let microsecondsPerRecord = BenchmarkMetric.custom("µs per ECG", polarity: .prefersSmaller, useScalingFactor: false)
}

/// The 12-lead ECG codecs: pocgate's framed transfer (framing and frame → readings) and
/// SCP-ECG (record framing, full record decode with the default Huffman table and second
/// differences). Registered from `benchmarks` in ParserBenchmarks.swift.
func ecgBenchmarks() {
    let framing = Benchmark.Configuration(metrics: ParserMetric.framing, warmupIterations: 1,
                                          maxDuration: .seconds(15), maxIterations: 30)
    // ~24 MB: 200 ten-second 12-lead ECGs of 120 KB.
    let transfer = ecgTransferCodec()
    Benchmark("\(transfer.name) framing: forEachFrame, 64 KiB reads", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: transfer.kind) { transfer.batch($0, 64 << 10) }
    } setup: {
        transfer.capture(atLeast: 24 << 20)
    }

    let records = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, ECGMetric.ecgsPerSecond,
                                                    ECGMetric.microsecondsPerRecord, ParserMetric.megabytesPerSecond],
                                          warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 20)
    Benchmark("ECG transfer: frame → ECG record → 9 readings, 100 ECGs", configuration: records) { (benchmark: Benchmark, frames: [ECGTransferFrame]) in
        let start = ContinuousClock.now
        var total = 0
        for frame in frames {
            if case let .success(record) = frame.record() {
                total += record.readings(profileID: "bench", serial: "S", model: "M", raw: []).count
            }
        }
        let elapsed = seconds(since: start)
        benchmark.stopMeasurement()
        blackHole(total)
        benchmark.measurement(ECGMetric.ecgsPerSecond, Int(Double(frames.count) / elapsed))
        benchmark.measurement(ECGMetric.microsecondsPerRecord, Int(elapsed * 1e6 / Double(frames.count)))
    } setup: { () -> [ECGTransferFrame] in
        (0..<100).map { seed -> ECGTransferFrame in
            var stream = FrameStream(ECGTransferFrameDecoder())
            stream.append(ECGBenchData.transferFrame(seed: UInt64(seed)))
            return stream.next()!
        }
    }

    // SCP-ECG: the shipped capture's two records, repeated.
    Benchmark("SCP-ECG record decode: CRCs, sections, default Huffman + 2nd differences, 12 × 5000", configuration: records) { (benchmark: Benchmark, frames: [SCPFrame]) in
        let start = ContinuousClock.now
        var samples = 0
        var bytes = 0
        for frame in frames {
            if let record = try? SCPRecord(frame.bytes) { samples += record.rhythm.samples.reduce(0) { $0 + $1.count } }
            bytes += frame.bytes.count
        }
        let elapsed = seconds(since: start)
        benchmark.stopMeasurement()
        blackHole(samples)
        benchmark.measurement(ECGMetric.ecgsPerSecond, Int(Double(frames.count) / elapsed))
        benchmark.measurement(ECGMetric.microsecondsPerRecord, Int(elapsed * 1e6 / Double(frames.count)))
        benchmark.measurement(ParserMetric.megabytesPerSecond, Int(Double(bytes) / 1e6 / elapsed))
    } setup: { () -> [SCPFrame] in
        let pair = ECGBenchData.scpFrames()
        return (0..<50).flatMap { _ in pair }
    }

    Benchmark("SCP-ECG framing: forEachFrame, 64 KiB reads", configuration: framing) { (benchmark: Benchmark, capture: Capture) in
        measureFraming(benchmark, capture, target: .binary) { decodeBatch(SCPFrameDecoder(), $0, chunk: 64 << 10) }
    } setup: { () -> Capture in
        let records = ECGBenchData.scpFrames().map(\.bytes)
        var out: [UInt8] = []
        var frames = 0
        while out.count < 24 << 20 {
            out += records[frames % records.count]
            frames += 1
        }
        return Capture(bytes: out, frames: frames)
    }
}

/// The ECG transfer framing entry: 120 KB ten-second 12-lead frames back to back.
func ecgTransferCodec() -> CodecBench {
    .codec("ECG transfer (12 × 5000 samples)", kind: .binary, decoder: ECGTransferFrameDecoder()) { rng, capture in
        capture += ECGBenchData.transferFrame(seed: rng.next())
    }
}

/// Benchmark inputs.
enum ECGBenchData {
    /// A 10 s, 500 Hz, 12-lead frame with beat-like samples that vary with `seed`.
    static func transferFrame(seed: UInt64) -> [UInt8] {
        let leads = (0..<12).map { lead -> ECGTransferFrame.Lead in
            let samples = (0..<5000).map { i -> Int16 in
                let t = (i + Int(seed % 97)) % 417
                let r = t >= 134 && t < 150 ? 240 - 30 * abs(t - 142) : 0
                return Int16(r * (lead + 3) / 8 + (i / 40) % 9 - 4)
            }
            return .init(code: ECGLeadCode.standardTwelve[lead], nanovoltsPerCount: 5000, samples: samples)
        }
        return ECGTransferFrame(sampleRate: 500, acquired: LocalDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: Int(seed % 60)),
                                patientID: Array("VC-2026-00042".utf8), serial: Array("ECG1200-0042".utf8), leads: leads,
                                measurementWords: [72, 160, 92, 380, 416, 54, 48, 41]).bytes
    }

    /// The records of the shipped `ecg-12-lead-cart` capture.
    static func scpFrames() -> [SCPFrame] {
        let path = String(#filePath).components(separatedBy: "/Benchmarks/Benchmarks/")[0]
            + "/DeviceProfiles/generic/ecg-12-lead-cart/captures/resting-12-lead.bin"
        guard let file = fopen(path, "rb") else { fatalError("cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        var stream = FrameStream(SCPFrameDecoder())
        stream.append(bytes)
        var frames: [SCPFrame] = []
        while let f = stream.next() { frames.append(f) }
        return frames
    }
}
