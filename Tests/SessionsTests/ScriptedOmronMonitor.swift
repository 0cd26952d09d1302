import PocGateCore
import Transports

/// An Omron HEM-790IT-class monitor written from the public notes, behind an in-memory message
/// link: it takes 9-byte output reports (report id 0, count, 7 data bytes), joins their valid
/// bytes into commands, and answers with whole 8-byte input reports, one per read. It answers
/// the zero wake-up block with `OK`, `GDC`/`GME` from its two banks (newest first, `NO` to the
/// first ask of each measurement when `refuseFirstAsk`), `END` with `OK` and `OFF`; anything
/// else with `NO`. `unplugAfterReports` makes reads fail as unplugged after that many reports.
final class ScriptedOmronMonitor: DeviceLink, HIDFeatureReports {
    /// A measurement as the monitor stores it.
    struct Measurement {
        var year, month, day, hour, minute, second, systolic, diastolic, pulse: UInt8
    }

    var banks: [[Measurement]]
    var refuseFirstAsk = false
    /// Sends a stray count answer (as if a `GDC` were answered twice) before the first measurement.
    var strayCountBeforeFirstMeasurement = false
    var unplugAfterReports: Int?
    private(set) var written: [[UInt8]] = []
    private(set) var features: [[UInt8]] = []
    private var command: [UInt8] = []
    private var outbox: [[UInt8]] = []
    private var refused: Set<[UInt8]> = []
    private var reportsSent = 0

    init(banks: [[Measurement]]) { self.banks = banks }

    var delivery: LinkDelivery { .messages(maximumLength: 8) }

    func setFeature(_ report: [UInt8]) throws(LinkError) { features.append(report) }
    func getFeature(reportID: UInt8, length: Int) throws(LinkError) -> [UInt8] { [UInt8](repeating: 0, count: length) }

    func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        written.append(bytes)
        guard bytes.count == 9, bytes[0] == 0, (1...7).contains(bytes[1]) else { return }
        command += bytes[2..<(2 + Int(bytes[1]))]
        answerIfComplete()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        if let limit = unplugAfterReports, reportsSent >= limit { throw .unplugged(errno: 19) }
        guard !outbox.isEmpty else { return 0 }
        let report = outbox.removeFirst()
        for (i, b) in report.enumerated() { buffer[i] = b }
        reportsSent += 1
        return report.count
    }

    func discardInput() { outbox.removeAll() }
    func close() {}

    private func answerIfComplete() {
        if command.count == 30, command.allSatisfy({ $0 == 0 }) {
            command = []
            send(Array("OK".utf8))
            return
        }
        guard command.count >= 3, !command.allSatisfy({ $0 == 0 }) else { return }
        let name = String(decoding: command.prefix(3), as: UTF8.self)
        switch name {
        case "END" where command.count == 5:
            command = []
            send(Array("OK".utf8))
            send(Array("OFF\r\n".utf8))
        case "GDC" where command.count == 8, "GME" where command.count == 8:
            let c = command
            command = []
            guard c.dropFirst(3).reduce(0, ^) == 0, c[4] < banks.count else { return send(Array("NO".utf8)) }
            let bank = banks[Int(c[4])]
            if name == "GDC" { return sendOK([0x00, 0x10, 0x00, UInt8(bank.count)]) }
            let index = Int(c[6])
            guard index < bank.count else { return send(Array("NO".utf8)) }
            if refuseFirstAsk, refused.insert(c).inserted { return send(Array("NO".utf8)) }
            if strayCountBeforeFirstMeasurement {
                strayCountBeforeFirstMeasurement = false
                sendOK([0x00, 0x10, 0x00, 9])
            }
            let m = bank[index]
            sendOK([m.year, m.month, m.day, m.hour, m.minute, m.second, 0, 0, m.systolic, m.diastolic, m.pulse, 0, 0])
        case "GDC", "GME", "END":
            return
        default:
            command = []
            send(Array("NO".utf8))
        }
    }

    /// `OK`, status 0x00, the data and their XOR check.
    private func sendOK(_ data: [UInt8]) {
        let body = [0x00] + data
        send(Array("OK".utf8) + body + [body.reduce(0, ^)])
    }

    /// An answer as reports of a count byte and 7 data bytes (padding 0xEE, as stale bytes).
    private func send(_ answer: [UInt8]) {
        var i = 0
        repeat {
            let chunk = Array(answer[i..<min(i + 7, answer.count)])
            outbox.append([UInt8(chunk.count)] + chunk + [UInt8](repeating: 0xEE, count: 7 - chunk.count))
            i += 7
        } while i < answer.count
    }
}
