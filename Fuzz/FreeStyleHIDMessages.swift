import FrameParsing
import PocGateCore

/// libFuzzer target for the FreeStyle shared HID layer: the input is a stream of 64-byte
/// reports (the meter's side). Every parsed message stays within 62 bytes and its report; the
/// text-reply assembler and the record-list parser take anything without trapping; the
/// capture decoded whole and split in two gives the same readings and problems; every reading
/// is glucose in mg/dL coded 41653-7; only `FreeStyleHIDCommand`'s reports pass the allow-list.
/// The control flag picks the model (Libre, else Precision Neo).
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let bytes = Array(input.stream)
    let model: FreeStyleHIDModel = input.flag ? .libre : .precisionNeo
    var reply = FreeStyleTextReply()
    var i = 0
    while i + FreeStyleHIDMessage.reportSize <= bytes.count {
        if let m = FreeStyleHIDMessage.parse(report: bytes[i..<(i + FreeStyleHIDMessage.reportSize)]) {
            DecoderInvariants.expect(m.payload.count <= FreeStyleHIDMessage.maximumPayload, "payload of \(m.payload.count) bytes")
            if case .ok(let message)? = reply.append(m.payload), case let .success(records) = FreeStyleRecordList.parse(message) {
                for r in records { _ = model.reading(r, profileID: "fuzz", serial: "S") }
            }
        }
        i += FreeStyleHIDMessage.reportSize
    }
    if case let .success(records) = FreeStyleRecordList.parse(bytes) {
        for r in records { _ = model.reading(r, profileID: "fuzz", serial: "S") }
    }
    let head = Array(bytes.prefix(65))
    DecoderInvariants.expect(FreeStyleHIDCommand.mayTransmit(head) == FreeStyleHIDCommand.allCases.contains { $0.report == head },
                             "allow-list disagrees with the command list")
    var whole = FreeStyleHIDCaptureStream(profileID: "fuzz", model: model)
    let once = whole.collect(bytes)
    DecoderInvariants.expect(once.readings.allSatisfy { $0.code == "41653-7" && $0.unit == "mg/dL" }, "a reading not coded as glucose mg/dL")
    var split = FreeStyleHIDCaptureStream(profileID: "fuzz", model: model)
    var readings: [Reading] = []
    var problems: [String] = []
    let take: (CaptureEvent) -> Void = { e in
        switch e { case let .reading(r): readings.append(r); case let .problem(p): problems.append(p) }
    }
    split.feed(Array(bytes[0..<input.split]), receivedAt: LocalDateTime(secondsSinceEpoch: 0), emit: take)
    split.feed(Array(bytes[input.split...]), receivedAt: LocalDateTime(secondsSinceEpoch: 0), emit: take)
    _ = split.finish(emit: take)
    DecoderInvariants.expect(readings == once.readings && problems == once.problems, "a split at \(input.split) decodes differently")
    return 0
}

/// Seeds: a Precision Neo session's reports (serial, date, time, a list of glucose, ketone,
/// HI and insulin records) with keep-alives, and a Libre list with a blood strip and a scan.
func fuzzSeeds() -> [[UInt8]] {
    func hex8(_ v: Int) -> String { let s = String(v, radix: 16, uppercase: true); return String(repeating: "0", count: 8 - s.count) + s }
    func reply(_ body: String) -> [UInt8] { Array((body + "CKSM:" + hex8(body.utf8.reduce(0) { $0 + Int($1) }) + "\r\nCMD OK\r\n").utf8) }
    func list(_ lines: [String]) -> String {
        let body = lines.map { $0 + "\r\n" }.joined()
        return body + "\(lines.count)," + hex8(body.utf8.reduce(0) { $0 + Int($1) }) + "\r\n"
    }
    func messages(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(payload.count, start + 62)
            var r: [UInt8] = [0x60, UInt8(end - start)] + payload[start..<end]
            r += [UInt8](repeating: 0, count: 64 - r.count)
            out += r + [0x22, 0x01, 0x07] + [UInt8](repeating: 0, count: 61)
            start = end
        } while start < payload.count
        return out
    }
    let neo = ["JCMV291-T1234\r\n", "6,15,24\r\n", "9,5\r\n",
               list(["7,1,6,15,24,8,30,0,120,0,0,0,0,0,0,0,0,0,0", "9,2,6,15,24,8,40,0,18,0", "7,3,6,15,24,9,0,0,HI,0,0,0,0,0,0,0,0,0,0",
                     "10,4,6,15,24,8,45,0,1,4,0,0,0"])].flatMap { messages(reply($0)) }
    let libre = ["JGMT123-4567\r\n", "6,15,24\r\n", "9,5\r\n",
                 list(["1,2,6,15,24,7,55,12,1,0,0,0,104,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"",
                       "2,2,6,15,24,8,10,3,1,2,0,0,131,1,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\""])].flatMap { messages(reply($0)) }
    return [FuzzInput.seed(neo), FuzzInput.seed(libre, flag: true)]
}
