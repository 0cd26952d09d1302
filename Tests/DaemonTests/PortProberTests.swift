import Tools
@testable import Daemon
import DeviceProfiles
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing
import TestSupport

/// Tied bridge profiles are told apart with read-only identification requests only.
@Suite struct PortProberTests {
    /// One fake port: records every byte any candidate sent; the device behind it answers
    /// what `reply` gives for the line's baud rate and the bytes sent.
    final class FakePort: DeviceLink {
        var sent: [(baud: Int, bytes: [UInt8])] = []
        var opens: [Int] = []
        var baud = 0
        var pending: [UInt8] = []
        let reply: (_ baud: Int, _ sent: [UInt8]) -> [UInt8]
        init(reply: @escaping (_ baud: Int, _ sent: [UInt8]) -> [UInt8]) { self.reply = reply }
        /// A TaiDoc meter that answers read-model (model 4277) only at the `answersAt` rates.
        convenience init(answersAt: Set<Int>) {
            self.init { baud, bytes in
                answersAt.contains(baud) && bytes.count == 8 && bytes[1] == 0x24
                    ? TaiDocFrame(command: 0x24, payload: (0x77, 0x42, 0, 0), direction: .meterToHost).bytes : []
            }
        }
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            sent.append((baud, bytes))
            pending += reply(baud, bytes)
        }
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
            let n = min(buffer.count, pending.count)
            for i in 0..<n { buffer[i] = pending[i] }
            pending.removeFirst(n)
            return n
        }
        func discardInput() { pending.removeAll() }
        func close() {}
    }

    static func profile(_ id: String, baud: Int, order: Int?, proto: ProtocolFamily = .taidocTD42xx) -> DeviceProfile {
        DeviceProfile(id: id, version: 1, name: id, kind: "glucose-meter", protocol: proto,
                      match: MatchRules(usb: [USBMatch(vendorID: 0x067b, productID: 0x2303)], probeOrder: order),
                      line: LineSettings(baud: baud), session: SessionSettings(replyTimeoutMillis: 100, retries: 1),
                      sourceFile: id, contentHash: "0")
    }

    static let port = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x067b, productID: 0x2303))

    func prober(_ fake: FakePort) -> PortProber {
        PortProber(port: Self.port, logger: Logger(label: "test")) { profile in
            fake.baud = profile.line.baud
            fake.opens.append(profile.line.baud)
            return fake
        }
    }

    @Test func theFirstCandidateThatAnswersClaimsThePortAndLaterOnesAreNotContacted() {
        let fake = FakePort(answersAt: [19200])
        let catalog = ProfileCatalog([Self.profile("c-38400", baud: 38400, order: 30),
                                      Self.profile("a-9600", baud: 9600, order: 10),
                                      Self.profile("b-19200", baud: 19200, order: 20)])
        let (chosen, verdict) = prober(fake).probe(catalog.candidates(Self.port))
        #expect(chosen?.id == "b-19200")
        #expect(verdict == "probed a-9600 (silent), b-19200 (answered: model 4277)")
        #expect(fake.opens == [9600, 19200])
        // Every byte that left the port was the identification request: no write, no other read.
        #expect(fake.sent.allSatisfy { $0.bytes == TaiDocFrame.request(.readModel).bytes })
        #expect(fake.sent.allSatisfy { TaiDocCommand.mayTransmit($0.bytes) })
    }

    @Test func noAnswerClaimsNothingAndSaysWhatWasTried() {
        let fake = FakePort(answersAt: [])
        let candidates = [Self.profile("a", baud: 9600, order: 1), Self.profile("replay", baud: 9600, order: 2, proto: .kioskAA55)]
        let (chosen, verdict) = prober(fake).probe(candidates)
        #expect(chosen == nil)
        #expect(verdict == "probed a (silent), replay (no identification command): none answered")
        #expect(fake.opens == [9600], "a protocol without an identification command is never driven")
    }

    /// A declarative profile is probed with the first step of its script when that step sends
    /// a fixed read-only command: the shipped TD-4277 profile sends `connect` (0x22), and a
    /// wake reply claims the port. A profile whose script starts with a write is never probed.
    @Test func aDeclarativeProfileIsProbedWithItsScriptsFirstReadOnlyCommand() throws {
        let file = HTTPSReceiver.repositoryRoot + "/DeviceProfiles/taidoc/td4277-declarative/profile.yaml"
        var declarative = try DeviceProfile.parse(try String(contentsOfFile: file, encoding: .utf8), file: file, families: .builtIn)
        declarative.match = MatchRules(usb: [USBMatch(vendorID: 0x067b, productID: 0x2303)], probeOrder: 20)
        let connect = TaiDocFrame.request(.connect).bytes
        let probe = try #require(IdentificationProbe.of(declarative))
        #expect(probe.request == connect && probe.family == .declarative)

        // A TaiDoc meter that answers only connect (0x22), with a wake frame.
        let meter = FakePort { _, bytes in
            bytes.count == 8 && bytes[1] == 0x22 ? TaiDocFrame(command: 0x22, payload: (0, 0, 0, 0), direction: .meterToHost).bytes : []
        }
        let prober = PortProber(port: Self.port, logger: Logger(label: "test")) { _ in meter }
        let (chosen, verdict) = prober.probe([Self.profile("other", baud: 19200, order: 10), declarative])
        #expect(chosen?.id == "taidoc-td4277-declarative")
        #expect(verdict.hasSuffix("taidoc-td4277-declarative (answered: connect answered with wake)"), "\(verdict)")
        // Only the two identification requests left the port: TaiDoc read-model, then connect.
        #expect(meter.sent.allSatisfy { $0.bytes == TaiDocFrame.request(.readModel).bytes || $0.bytes == connect })

        var writesFirst = declarative
        var spec = try #require(writesFirst.declarative).spec
        guard case let .send(first, _, _, _)? = spec.script.first else { Issue.record("script starts with a loop"); return }
        spec.commands[first].writes = true
        writesFirst.declarative = DeclarativePlan(spec)
        #expect(IdentificationProbe.of(writesFirst) == nil)
    }
}
