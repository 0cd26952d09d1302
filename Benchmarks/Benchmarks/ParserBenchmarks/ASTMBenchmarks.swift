import Benchmark
import FrameParsing
import PocGateCore

/// The ASTM framing entry: result frames as an analyzer sends them, about 70 bytes with the framing.
func astmCodec() -> CodecBench {
    .codec("ASTM", kind: .text, decoder: ASTMFrameDecoder()) { rng, capture in
        capture += ASTMBench.resultFrame(&rng, number: UInt8(truncatingIfNeeded: rng.next() & 7))
    }
}

/// ASTM E1381/E1394: the frame scan (framing only, as the other codecs) and the whole receive
/// path (frames → message assembly → E1394 records → readings), registered from `benchmarks`.
func astmBenchmarks() {
    let codec = astmCodec()
    let framing = Benchmark.Configuration(metrics: ParserMetric.framing, warmupIterations: 1,
                                          maxDuration: .seconds(15), maxIterations: 30)
    Benchmark("ASTM framing: forEachFrame, 64 KiB reads", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: codec.kind) { codec.batch($0, 64 << 10) }
    } setup: {
        codec.capture(atLeast: captureBytes)
    }
    Benchmark("ASTM framing: forEachFrame, 64 KiB reads, 1% line noise", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: codec.kind) { codec.batch($0, 64 << 10) }
    } setup: {
        codec.capture(atLeast: captureBytes, noisePercent: 1)
    }
    Benchmark("ASTM framing: append + next, 4 KiB reads", configuration: framing) { benchmark, capture in
        measureFraming(benchmark, capture, target: codec.kind) { codec.appendNext($0, 4 << 10) }
    } setup: {
        codec.capture(atLeast: captureBytes)
    }

    let records = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.recordsPerSecond,
                  ParserMetric.megabytesPerSecond, ParserMetric.mallocsPerThousandRecords],
        warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 10)
    Benchmark("ASTM records: capture → readings, 2,000 transfers of 100 results", configuration: records) { benchmark, capture in
        let mallocsBefore = mallocCount()
        let start = ContinuousClock.now
        let result = ASTMTransfer.decodeCapture(capture.bytes, profileID: "bench", analytes: ASTMBench.table)
        let elapsed = seconds(since: start)
        let mallocs = mallocCount() - mallocsBefore
        benchmark.stopMeasurement()
        guard result.readings.count == capture.results, result.problems.isEmpty else {
            benchmark.error("decoded \(result.readings.count) readings and \(result.problems.count) problems, the capture has \(capture.results) results")
            return
        }
        blackHole(result.readings.last)
        benchmark.measurement(ParserMetric.recordsPerSecond, Int(Double(capture.results) / elapsed))
        benchmark.measurement(ParserMetric.megabytesPerSecond, Int(Double(capture.bytes.count) / 1e6 / elapsed))
        benchmark.measurement(ParserMetric.mallocsPerThousandRecords, mallocs * 1000 / max(1, capture.results))
    } setup: {
        ASTMBench.transfers(2000, resultsEach: 100)
    }
}

/// Generated ASTM traffic for the benchmarks.
enum ASTMBench {
    static let analytes = ["TC", "TG", "UA", "GLU"]
    /// The analyte table the benchmark's analyzer needs (the shipped tables are YAML).
    static let table: AnalyteTable = {
        func unit(_ ucum: String, _ loinc: String) -> AnalyteTable.UnitCoding {
            AnalyteTable.UnitCoding(ucum: ucum, loinc: loinc, display: loinc, plausible: ExactDecimal(0)...ExactDecimal(100_000))
        }
        return AnalyteTable(ids: ["bench"], analytes: [
            .init(id: "chol", kind: .cholesterol, names: ["TC"], units: [unit("mmol/L", "14647-2")]),
            .init(id: "tg", kind: .triglycerides, names: ["TG"], units: [unit("mmol/L", "14927-8")]),
            .init(id: "ua", kind: .uricAcid, names: ["UA"], units: [unit("umol/L", "14933-6")]),
            .init(id: "glu", kind: .glucose, names: ["GLU"], units: [unit("mmol/L", "14743-9")]),
        ], unitTexts: ["mmol/l": "mmol/L", "umol/l": "umol/L"])
    }()
    static let units = ["mmol/L", "mmol/L", "umol/L", "mmol/L"]

    /// One result record's text (without CR), random analyte, value, flag and minute.
    static func resultText(_ rng: inout SplitMix, seq: Int) -> String {
        let r = rng.next()
        let a = Int(r % 4)
        let value = a == 2 ? String(150 + r >> 8 % 400) : "\(1 + r >> 8 % 9).\(r >> 16 % 10)\(r >> 20 % 10)"
        let flag = ["N", "H", "L", "N"][Int(r >> 24 % 4)]
        let minute = r >> 28 % 60
        return "R|\(seq)|^^^\(analytes[a])|\(value)|\(units[a])||\(flag)||F||||202406151\(minute < 10 ? "0" : "")\(minute)00"
    }

    /// One result frame on the wire.
    static func resultFrame(_ rng: inout SplitMix, number: UInt8) -> [UInt8] {
        ASTMDataFrame.encode(number: number, text: Array(resultText(&rng, seq: 1).utf8) + [0x0D], isFinal: false)
    }

    struct Transfers {
        let bytes: [UInt8]
        let results: Int
    }

    /// `count` transfers (ENQ, H, P, O, `resultsEach` R, L, EOT), one record per frame.
    static func transfers(_ count: Int, resultsEach: Int) -> Transfers {
        var rng = SplitMix(seed: 0xA57)
        var out: [UInt8] = []
        for t in 0..<count {
            var records = ["H|\\^&|||LipidPro^2.1^LP-0042|||||||P|1|20240615091000", "P|1|PAT-\(t)", "O|1|S\(t)||^^^TC|R||20240615083000"]
            for i in 1...resultsEach { records.append(resultText(&rng, seq: i)) }
            records.append("L|1|N")
            out.append(0x05)
            for (i, r) in records.enumerated() {
                out += ASTMDataFrame.encode(number: UInt8((i + 1) & 7), text: Array(r.utf8) + [0x0D], isFinal: i == records.count - 1)
            }
            out.append(0x04)
        }
        return Transfers(bytes: out, results: count * resultsEach)
    }
}
