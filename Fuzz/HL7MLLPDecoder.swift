import FrameParsing
import PocGateCore

/// libFuzzer target for `MLLPFrameDecoder` and what sits on it: the generic stream and decoder
/// invariants, then every block's payload is free of MLLP bytes and within the bound; each
/// payload is parsed and interpreted as an ORU^R01 without trapping; the acknowledgement built
/// for it (AA, AE and AR) is always one the transmit allow-list accepts, and echoes MSH-10 when
/// the message parsed. The control flag picks a tiny maximum message length (64) to drive the
/// oversized path.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let limit = input.flag ? 64 : 2048
    let frames = DecoderInvariants.check(MLLPFrameDecoder(maximumMessageLength: limit), input, fastPathIsComplete: true)
    // Linear cost with the daemon's own 1 MiB bound too: a start byte scanned past up to the
    // bound for every byte skipped only shows with a bound far above the input's length.
    if input.chunk == 16, input.pattern == 7 { DecoderInvariants.checkLinearCost(MLLPFrameDecoder(), input.stream) }
    let now = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
    for block in frames {
        let p = block.payload
        DecoderInvariants.expect(p.count <= limit && !p.contains(MLLPBlock.start) && !p.contains(MLLPBlock.end),
                                 "block payload of \(p.count) bytes holds MLLP bytes or exceeds \(limit)")
        let control: String?
        switch HL7ORU.interpret(payload: p, profileID: "fuzz") {
        case let .success((message, oru)):
            control = message.controlID
            for r in oru.readings {
                DecoderInvariants.expect(r.deviceTime.isValid && (r.kind != .bloodPressure || r.components.count >= 2),
                                         "reading \(r.kind) with an invalid time or an incomplete panel")
            }
            let reasons = oru.problems.map(HL7Acknowledgement.Reason.init)
            for code in HL7AckCode.allCases { check(p, code, code == .accept ? [] : reasons, now, control) }
        case let .failure(rejection):
            check(p, .reject, [HL7Acknowledgement.Reason(rejection)], now, nil)
        }
    }
    return 0
}

/// The ACK for `payload` may be transmitted, and echoes `control` in MSA-2 when given.
func check(_ payload: [UInt8], _ code: HL7AckCode, _ reasons: [HL7Acknowledgement.Reason], _ now: LocalDateTime, _ control: String?) {
    let ack = HL7Acknowledgement.build(for: payload, code: code, reasons: reasons, timestamp: now)
    DecoderInvariants.expect(HL7Acknowledgement.mayTransmit(MLLPBlock.wrap(ack)), "the \(code.rawValue) ACK built is not transmittable")
    if let control, let m = try? HL7Message(parsing: ack) {
        DecoderInvariants.expect(m.first("MSA")?.text(2) == control, "MSA-2 does not echo MSH-10 '\(control)'")
    }
}

/// Seeds: the kiosk message, a two-message stream with noise and an abandoned block, other
/// delimiters, escapes, SN/NA values and an ADT.
func fuzzSeeds() -> [[UInt8]] {
    func msg(_ s: [String]) -> [UInt8] { MLLPBlock.wrap(Array((s.joined(separator: "\r") + "\r").utf8)) }
    let msh = #"MSH|^~\&|HK-7000^00A0C9FFFE123456^EUI-64|CLINIC|POCGATE||20240615083512+0800||ORU^R01^ORU_R01|K1|P|2.6"#
    let kiosk = msg([msh, "PID|1||320102196203150026^^^CHN^NNCHN", "OBR|1||||||20240615082900+0800",
                     "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||120|266016^MDC_DIM_MMHG^MDC||H",
                     "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||80|266016^MDC_DIM_MMHG^MDC",
                     "OBX|3|SN|14743-9^GLU^LN||>^33.3|mmol/L|||||F|||20240615083000",
                     #"OBX|4|NM|39156-5^BMI^LN||25.5|kg/m\S\2"#, "OBX|5|ST|8867-4^HR^LN||72|/min"])
    let other = msg(["MSH#$*@%#KIOSK$0123#X#POCGATE##20240615083000##ORU$R01#C9#P#2.5", "PID###A*B",
                     "OBR#1######20240615083000", "OBX#1#NM#8867-4$HR$LN##6@X37@#/min"])
    let wave = msg([msh, "OBR|1||||||20240615090000", "OBX|1|NM|0^MDC_ATTR_SAMP_RATE^MDC||500|Hz",
                    "OBX|2|NA|131329^MDC_ECG_LEAD_I^MDC||0^0.125^-0.25^1|mV"])
    let adt = msg([#"MSH|^~\&|A||||||ADT^A01|Z|P|2.5"#, "PID|||1"])
    let noisy: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A] + kiosk + Array(kiosk.prefix(30)) + other + [0x0B, 0x06, 0x1C, 0x0D] + [0x0B, 0x41, 0x1C, 0x0A]
    return [FuzzInput.seed(kiosk), FuzzInput.seed(noisy), FuzzInput.seed(wave + adt), FuzzInput.seed(noisy, flag: true)]
}
