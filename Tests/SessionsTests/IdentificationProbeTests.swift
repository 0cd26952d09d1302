import Daemon
import Tools
import Emulators
import DeviceProfiles
import FrameParsing
import PocGateCore
import Sessions
import Transports
import Testing

/// The read-only identification probe: only the identification request ever leaves the port.
@Suite struct IdentificationProbeTests {
    /// Records every byte written; answers from a script keyed by the request.
    final class ScriptedProbeLink: DeviceLink {
        var sent: [[UInt8]] = []
        var pending: [UInt8] = []
        let reply: ([UInt8]) -> [UInt8]
        init(reply: @escaping ([UInt8]) -> [UInt8]) { self.reply = reply }
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            sent.append(bytes)
            pending += reply(bytes)
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

    static let profile = DeviceProfile(
        id: "taidoc-td4277", version: 1, name: "t", kind: "glucose-meter", protocol: .taidocTD42xx,
        match: MatchRules(usb: [USBMatch(vendorID: 0x067b, productID: 0x2303)]), line: LineSettings(baud: 19200),
        session: SessionSettings(replyTimeoutMillis: 5_000, retries: 9), sourceFile: "t", contentHash: "0")

    static func meterReply(to request: [UInt8]) -> [UInt8] {
        guard request.count == 8 else { return [] }
        return TaiDocFrame(command: request[1], payload: (0x77, 0x42, 0, 0), direction: .meterToHost).bytes
    }

    @Test func aTaiDocMeterAnswersTheModelRequestAndNothingElseIsSent() throws {
        let probe = try #require(IdentificationProbe.of(Self.profile))
        #expect(probe.replyTimeoutMillis == 1_000 && probe.attempts == 2, "timeouts are strict whatever the profile says")
        // Line noise before the answer is skipped by the decoder.
        let transport = ScriptedProbeLink(reply: { [0x00, 0xFF, 0x51] + Self.meterReply(to: $0) })
        #expect(probe.run(on: transport) == .answered(detail: "model 4277"))
        #expect(transport.sent == [TaiDocFrame.request(.readModel).bytes])
        #expect(transport.sent.allSatisfy(TaiDocCommand.mayTransmit))
    }

    @Test func aSilentDeviceGetsOnlyTheBoundedRetries() throws {
        let probe = try #require(IdentificationProbe.of(Self.profile))
        let transport = ScriptedProbeLink(reply: { _ in [] })
        #expect(probe.run(on: transport) == .silent)
        #expect(transport.sent.count == probe.attempts)
        #expect(Set(transport.sent) == [TaiDocFrame.request(.readModel).bytes])
    }

    @Test func anAnswerToAnotherCommandOrABadChecksumIsNotAnAnswer() throws {
        let probe = try #require(IdentificationProbe.of(Self.profile))
        let wrongCommand = ScriptedProbeLink(reply: { _ in
            TaiDocFrame(command: 0x22, direction: .meterToHost).bytes
        })
        #expect(probe.run(on: wrongCommand) == .silent)
        let badSum = ScriptedProbeLink(reply: { request in
            var bytes = Self.meterReply(to: request)
            bytes[7] ^= 0xFF
            return bytes
        })
        #expect(probe.run(on: badSum) == .silent)
    }

    /// Bridge ties: a glucose meter, a 2-in-1 and a thermometer share the PL2303 id. A profile's
    /// probe is answered only by a model it lists, so each device goes to the profile that
    /// knows its record layouts (a 2-in-1 never to the glucose-only profile).
    @Test func onlyAModelTheProfileListsAnswersItsProbe() throws {
        var twoInOne = Self.profile
        twoInOne.taidocModels = TaiDocModels(["3261": [.glucose, .bloodPressure]])
        let probe = try #require(IdentificationProbe.of(twoInOne))
        let glucoseMeter = ScriptedProbeLink(reply: Self.meterReply)
        #expect(probe.run(on: glucoseMeter) == .silent)
        #expect(glucoseMeter.sent.allSatisfy { $0 == TaiDocFrame.request(.readModel).bytes })
        let d40 = ScriptedProbeLink(reply: { request in
            TaiDocFrame(command: request[1], payload: (0x61, 0x32, 0, 0), direction: .meterToHost).bytes
        })
        #expect(probe.run(on: d40) == .answered(detail: "model 3261"))
        #expect(try #require(IdentificationProbe.of(Self.profile)).run(on: d40) == .silent, "3261 is not a TD-42xx glucose meter")
    }

    @Test func protocolsWithoutAnIdentificationCommandAreNeverProbed() {
        for family in ProtocolRegistry.drivers.map(\.family) where family != .taidocTD42xx && family != .taidocBloodPressure && family != .onetouchUltra2
            && family != .lifescanBinary && family != .glucomenAreo && family != .sdCodeFree {
            var p = Self.profile
            p.protocol = family
            #expect(IdentificationProbe.of(p) == nil, "\(family)")
        }
    }
}
