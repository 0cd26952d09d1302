import Benchmark
import FrameParsing
import PocGateCore

/// The APDU framing entry: blood-pressure scan reports back to back.
func ieee11073Codec() -> CodecBench {
    .codec("IEEE11073", kind: .binary, decoder: IEEE11073APDUDecoder()) { rng, capture in
        capture += IEEE11073BenchCapture.report(rng.next())
    }
}

/// IEEE 11073-20601 benchmarks: APDU framing (MB/s per core, APDUs/s) over a 64 MiB capture
/// of blood-pressure scan reports, and report decoding through the manager (parse, lay out
/// against the configuration, build readings and the answer): reports/s and readings/s.
func ieee11073Benchmarks() {
    let codec = ieee11073Codec()
    let framing = Benchmark.Configuration(metrics: ParserMetric.framing, warmupIterations: 1,
                                          maxDuration: .seconds(15), maxIterations: 30)
    Benchmark("IEEE11073 framing: forEachFrame, 64 KiB reads", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: codec.kind) { codec.batch($0, 64 << 10) }
    } setup: {
        codec.capture(atLeast: captureBytes)
    }
    Benchmark("IEEE11073 framing: forEachFrame, 64 KiB reads, 1% line noise", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: codec.kind) { codec.batch($0, 64 << 10) }
    } setup: {
        codec.capture(atLeast: captureBytes, noisePercent: 1)
    }
    Benchmark("IEEE11073 framing: append + next, 4 KiB reads", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: codec.kind) { codec.appendNext($0, 4 << 10) }
    } setup: {
        codec.capture(atLeast: captureBytes)
    }

    let decoding = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.framesPerSecond, ParserMetric.recordsPerSecond,
                  ParserMetric.mallocsPerThousandRecords],
        warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 10)
    Benchmark("IEEE11073 report decoding: APDUs → readings + answers, 100,000 reports", configuration: decoding) { benchmark, apdus in
        let mallocsBefore = mallocCount()
        let start = ContinuousClock.now
        var manager = IEEE11073Manager(profileID: "continua-bp-monitor")
        var readings = 0
        var digest = 0
        for apdu in apdus {
            let step = manager.consume(apdu)
            readings += step.readings.count
            digest &+= step.responses.count
        }
        let elapsed = seconds(since: start)
        let mallocs = mallocCount() - mallocsBefore
        benchmark.stopMeasurement()
        blackHole(digest)
        benchmark.measurement(ParserMetric.framesPerSecond, Int(Double(apdus.count - 1) / elapsed))
        benchmark.measurement(ParserMetric.recordsPerSecond, Int(Double(readings) / elapsed))
        benchmark.measurement(ParserMetric.mallocsPerThousandRecords, mallocs * 1000 / max(1, readings))
    } setup: {
        IEEE11073BenchCapture.decodedSession(reports: 100_000)
    }
}

/// Blood-pressure monitor traffic: confirmed fixed-format scan reports of the standard
/// configuration 0x02BC (compound pressure and pulse rate with time stamps), 66 bytes each.
enum IEEE11073BenchCapture {
    typealias A = IEEE11073AgentAPDUs

    /// One report with values and time drawn from `r`.
    static func report(_ r: UInt64) -> [UInt8] {
        let time = LocalDateTime(year: 2024, month: 1 + Int(r % 12), day: 1 + Int(r >> 4 % 28), hour: Int(r >> 9 % 24),
                                 minute: Int(r >> 14 % 60), second: Int(r >> 20 % 60))
        let stamp = A.time(time)
        let sys = 90 + Int(r >> 26 % 90), dia = 50 + Int(r >> 33 % 50), pulse = 40 + Int(r >> 40 % 100)
        return A.confirmedEventReport(invokeID: UInt16(truncatingIfNeeded: r >> 48), eventType: 0x0D1D,
                                      info: A.fixedScanInfo(reportNumber: UInt16(truncatingIfNeeded: r), [
            (1, [0, 3, 0, 6] + A.sfloat(mantissa: sys, exponent: 0) + A.sfloat(mantissa: dia, exponent: 0)
                + A.sfloat(mantissa: (sys + 2 * dia) / 3, exponent: 0) + stamp),
            (2, A.sfloat(mantissa: pulse, exponent: 0) + stamp),
        ]))
    }

    /// An association (0x02BC) followed by `reports` reports, framed once.
    static func decodedSession(reports: Int) -> [IEEE11073APDU] {
        var rng = SplitMix(seed: 11073)
        var bytes = A.associationRequest(configID: 0x02BC, systemID: [0x00, 0x1C, 0x05, 0xFF, 0xFE, 0x00, 0x42, 0x17])
        for _ in 0..<reports { bytes += report(rng.next()) }
        var stream = FrameStream(IEEE11073APDUDecoder())
        var apdus: [IEEE11073APDU] = []
        apdus.reserveCapacity(reports + 1)
        bytes.withUnsafeBytes { stream.forEachFrame(in: $0) { apdus.append($0) } }
        precondition(apdus.count == reports + 1, "report capture did not frame")
        return apdus
    }
}
