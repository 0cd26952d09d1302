import FrameParsing
import PocGateCore

/// libFuzzer target for the Contour Next HID de-framing (`ContourReport`, `ContourCaptureStream`):
/// the input is a stream of 64-byte reports. Every report's payload is at most 60 bytes and
/// inside the report; the capture decoded whole and split in two gives the same readings,
/// problems and counters; every reading has a code; no more than one partial report and one
/// frame stay pending. The control flag is unused.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let bytes = Array(input.stream)
    var i = 0
    while i + ContourReport.size <= bytes.count {
        let p = ContourReport.payload(of: bytes[i..<(i + ContourReport.size)])
        DecoderInvariants.expect(p.bytes.count <= ContourReport.maximumPayload && p.bytes.startIndex == i + 4,
                                 "payload of \(p.bytes.count) bytes at \(p.bytes.startIndex)")
        i += ContourReport.size
    }
    DecoderInvariants.expect(ContourReport.mayTransmit(Array(bytes.prefix(65))) == [ASTMControl.eot, .ack, .nak]
        .contains { ContourReport.outputReport($0) == Array(bytes.prefix(65)) }, "allow-list disagrees with the three reports")
    let analytes = FuzzAnalytes.table
    var whole = ContourCaptureStream(profileID: "fuzz", analytes: analytes)
    let once = whole.collect(bytes)
    var split = ContourCaptureStream(profileID: "fuzz", analytes: analytes)
    var readings: [Reading] = []
    var problems: [String] = []
    let take: (CaptureEvent) -> Void = { e in
        switch e { case let .reading(r): readings.append(r); case let .problem(p): problems.append(p) }
    }
    split.feed(Array(bytes[0..<input.split]), receivedAt: LocalDateTime(secondsSinceEpoch: 0), emit: take)
    split.feed(Array(bytes[input.split...]), receivedAt: LocalDateTime(secondsSinceEpoch: 0), emit: take)
    let summary = split.finish(emit: take)
    DecoderInvariants.expect(readings == once.readings && problems == once.problems && summary.counters == once.counters,
                             "a split at \(input.split) decodes differently")
    DecoderInvariants.expect(once.readings.allSatisfy { !$0.code.isEmpty }, "a reading without a code")
    return 0
}

/// Seeds: a whole constructed transfer (ENQ, header, two results, terminator, EOT) in reports,
/// the notes' start reply, and the transfer with a hostile length byte in front.
func fuzzSeeds() -> [[UInt8]] {
    func reports(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(message.count, start + 60)
            var r: [UInt8] = Array("ABC".utf8) + [UInt8(end - start)] + message[start..<end]
            r += [UInt8](repeating: 0, count: 64 - r.count)
            out += r
            start = end
        } while start < message.count
        return out
    }
    func frame(_ n: UInt8, _ text: String, final: Bool) -> [UInt8] {
        let body = [0x30 + n] + Array(text.utf8) + [0x0D, final ? 0x03 : 0x17]
        let sum = body.reduce(0) { ($0 + Int($1)) & 0xFF }
        let hex = Array("0123456789ABCDEF".utf8)
        return [0x02] + body + [hex[sum >> 4], hex[sum & 15], 0x0D, 0x0A]
    }
    let texts = ["H|\\^&||x|Bayer7410^01.24\\01.04\\09.02.20^7410-1^7403-|A=1^U=0^V=10600|2||||||1|202406150905",
                 "R|1|^^^Glucose|133|mg/dL^P||B||202406150830", "R|2|^^^Glucose|98|mg/dL^P||A||202406141815", "L|1||N"]
    var transfer = reports([0x05])
    for (i, t) in texts.enumerated() { transfer += reports(frame(UInt8(i + 1), t, final: i == texts.count - 1)) }
    transfer += reports([0x04])
    var hostile = [UInt8](repeating: 0xFF, count: 64)
    hostile[3] = 0xFF
    return [FuzzInput.seed(transfer), FuzzInput.seed(reports([0x04] + frame(1, texts[0], final: false) + [0x05])),
            FuzzInput.seed(hostile + transfer)]
}
