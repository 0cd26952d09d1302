import Benchmark
import FrameParsing

/// HL7 v2 over MLLP: the framing entry for `parserCodecs()` (the MLLP scan, MB/s per core) and
/// the full parse of kiosk ORU^R01 messages into readings (messages/s).

/// One kiosk visit as the kiosk sends it, about 1.3 KB: header, patient, five OBR groups and
/// thirteen OBX with random values (BP panel, pulse, SpO2, temperature, height, weight, BMI,
/// four blood analytes).
func hl7KioskMessage(_ rng: inout SplitMix) -> [UInt8] {
    let r = rng.next()
    func v(_ base: UInt64, _ spread: UInt64, _ shift: UInt64) -> String { String(base + (r >> shift) % spread) }
    let minute = String(10 + r % 50)
    let time = "202406150\(r % 10)\(minute)00+0800"
    let segments = [
        #"MSH|^~\&|HK-7000^00A0C9FFFE123456^EUI-64|TOWNSHIP CLINIC|POCGATE||"# + time + "||ORU^R01^ORU_R01|HK\(r % 10_000_000)|P|2.6|||NE|AL",
        "PID|1||3201021962031500\(r % 10)\(r % 7)^^^CHN^NNCHN||Test^Patient",
        "OBR|1|||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||\(time)",
        "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|\(v(100, 60, 8))|266016^MDC_DIM_MMHG^MDC|||||R",
        "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|\(v(60, 35, 14))|266016^MDC_DIM_MMHG^MDC|||||R",
        "OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.0.1.3|\(v(75, 40, 20))|266016^MDC_DIM_MMHG^MDC|||||R",
        "OBX|4|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.0.1.4|\(v(50, 60, 26))|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
        "OBR|2|||528388^MDC_DEV_SPEC_PROFILE_PULS_OXIM^MDC|||\(time)",
        "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1|\(v(90, 10, 32))|262688^MDC_DIM_PERCENT^MDC|||||R",
        "OBX|2|NM|150364^MDC_TEMP_BODY^MDC|1.0.1.1|36.\(v(0, 10, 36))|268192^MDC_DIM_DEGC^MDC|||||R",
        "OBR|3|||528399^MDC_DEV_SPEC_PROFILE_SCALE^MDC|||\(time)",
        "OBX|1|NM|188740^MDC_LEN_BODY_ACTUAL^MDC|1.0.1.1|1\(v(50, 40, 40)).5|263441^MDC_DIM_CENTI_M^MDC|||||R",
        "OBX|2|NM|188736^MDC_MASS_BODY_ACTUAL^MDC|1.0.1.2|\(v(45, 50, 44)).40|263875^MDC_DIM_X_G^MDC|||||R",
        "OBX|3|NM|188752^MDC_RATIO_MASS_BODY_LEN_SQ^MDC|1.0.1.3|2\(v(0, 10, 48)).5|264096^MDC_DIM_KG_PER_M_SQ^MDC|||||R",
        "OBR|4|||BLOOD^Fingerstick panel^L|||\(time)",
        "OBX|1|NM|14743-9^Glucose^LN||\(v(4, 10, 50)).\(v(0, 10, 52))|mmol/L^mmol/L^UCUM|3.9-6.1|N|||F",
        "OBX|2|NM|14647-2^Cholesterol^LN||\(v(3, 4, 54)).\(v(10, 90, 56))|mmol/L^mmol/L^UCUM||N|||F",
        "OBX|3|NM|14927-8^Triglyceride^LN||1.\(v(10, 90, 58))|mmol/L^mmol/L^UCUM||N|||F",
        "OBX|4|NM|14933-6^Urate^LN||\(v(200, 300, 60))|umol/L^umol/L^UCUM||N|||F",
    ]
    return MLLPBlock.wrap(Array((segments.joined(separator: "\r") + "\r").utf8))
}

/// The framing entry: kiosk messages back to back, the decoder scanning for VT and FS.
func hl7Codec() -> CodecBench {
    .codec("HL7 MLLP", kind: .text, decoder: MLLPFrameDecoder()) { rng, capture in
        capture += hl7KioskMessage(&rng)
    }
}

/// Full parse: MLLP block payload → `HL7Message` → `HL7ORU` readings, 10,000 messages per iteration.
func hl7Benchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, ParserMetric.recordsPerSecond, hl7MessagesPerSecond],
        warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 10)
    Benchmark("HL7 full parse: ORU^R01 kiosk messages → readings", configuration: config) { (benchmark: Benchmark, payloads: [[UInt8]]) in
        let start = ContinuousClock.now
        var readings = 0
        for p in payloads {
            if case let .success((_, oru)) = HL7ORU.interpret(payload: p, profileID: "bench") { readings += oru.readings.count }
        }
        let elapsed = seconds(since: start)
        benchmark.stopMeasurement()
        precondition(readings == payloads.count * 11, "expected 11 readings per message, got \(readings) for \(payloads.count)")
        benchmark.measurement(hl7MessagesPerSecond, Int(Double(payloads.count) / elapsed))
        benchmark.measurement(ParserMetric.recordsPerSecond, Int(Double(readings) / elapsed))
    } setup: { () -> [[UInt8]] in
        var rng = SplitMix(seed: 0x5EED)
        return (0..<10_000).map { _ in Array(hl7KioskMessage(&rng).dropFirst().dropLast(2)) }
    }
}

let hl7MessagesPerSecond = BenchmarkMetric.custom("messages/s", polarity: .prefersLarger, useScalingFactor: false)
