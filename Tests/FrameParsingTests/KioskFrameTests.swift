import Testing
import FrameParsing
import TestSupport

/// Kiosk `AA 55` frames: CRC-8/MAXIM vectors, resynchronisation, split independence, bounded
/// buffering and the transmit allow-list. V = bytes seen in the public Carewell PC-700 SDK with
/// the CRC recomputed; C = built here from the documented layout.
@Suite struct KioskFrameTests {
    static func bytes(_ hex: String) -> [UInt8] { Hex.parse(hex)! }
    static var verifier: DecoderVerifier<AA55FrameDecoder> { DecoderVerifier(AA55FrameDecoder()) }

    /// V: every frame the SDK's sources spell out, with the CRC they carry.
    static let published = [
        "AA 55 FF 02 01 CA",             // handshake
        "AA 55 FF 02 03 76",             // query battery
        "AA 55 FF 04 05 00 00 C4",       // sleep
        "AA 55 30 02 01 C6",             // ECG passthrough start
        "AA 55 30 02 02 24",             // ECG passthrough stop
        "AA 55 42 04 01 00 4A C1",       // live cuff pressure
        "AA 55 43 07 01 00 77 00 4D 51 BE", // blood-pressure result
        "AA 55 E2 05 01 C2 00 93 96",    // strip result, no record
        "AA 55 E0 02 02 3D",             // query strip-meter kind
    ]

    @Test func crc8MaximCheckValue() {
        #expect(CRC8.maxim.checksum(Array("123456789".utf8)) == 0xA1)
    }

    @Test(arguments: published)
    func publishedFramesCarryTheirCRC(_ hex: String) throws {
        let wire = Self.bytes(hex)
        #expect(CRC8.maxim.checksum(wire.dropLast()) == wire.last)
        let frames = Self.verifier.frames(wire)
        try #require(frames.count == 1)
        #expect(frames[0].bytes == wire)
        #expect(frames[0].token == wire[2])
        #expect(frames[0].body.count == Int(wire[3]) - 1)
    }

    @Test func theSDKsOwnBadCommentFrameIsRejected() {
        // `aa 55 30 02 02 aa` appears in a source comment; its CRC would be 24.
        let (frames, counters) = Self.verifier.frames([Self.bytes("AA 55 30 02 02 AA")])
        #expect(frames.isEmpty)
        #expect(counters.badChecksums == 1)
    }

    @Test func lengthBelowTwoIsMalformed() {
        let (frames, counters) = Self.verifier.frames([Self.bytes("AA 55 FF 01 00") + Self.bytes("AA 55 FF 02 01 CA")])
        #expect(frames.map(\.bytes) == [Self.bytes("AA 55 FF 02 01 CA")])
        #expect(counters.malformed == 1)
    }

    @Test func aBodyLongerThanPocgateHoldsIsSkippedWhole() {
        let big = AA55FrameBuilder.frame(token: 0x60, body: [0x40] + [UInt8](repeating: 0x20, count: 120))
        let (frames, counters) = Self.verifier.frames([big + Self.bytes("AA 55 FF 02 03 76")])
        #expect(frames.map(\.bytes) == [Self.bytes("AA 55 FF 02 03 76")])
        #expect(counters.malformed == 1 && counters.garbageBytes == 0)
    }

    @Test func resynchronisesOnTheNextAAAndAnySplitGivesTheSameFrames() {
        let good = Self.published.map(Self.bytes)
        var noisy: [UInt8] = [0x00, 0xAA, 0x00, 0x55, 0xAA, 0x55, 0x43]          // lone AA, a false start
        for (i, f) in good.enumerated() {
            noisy += f
            if i == 3 { var bad = f; bad[bad.count - 1] ^= 0x40; noisy += bad }     // bad CRC
            if i == 5 { noisy += [0xAA, 0xAA, 0x55] }                               // doubled sync
        }
        let (frames, counters) = Self.verifier.frames([noisy])
        // The false start `AA 55 43 AA` claims 170 bytes, more than follow: the whole frame
        // after it ends the wait, one byte is dropped and every frame behind is found.
        #expect(frames.map(\.bytes) == good)
        #expect(counters.badChecksums == 1 && counters.malformed >= 1)
        #expect(Self.verifier.splitFailures(noisy, randomSplits: 200).isEmpty)
    }

    @Test func randomGarbageKeepsTheBufferBounded() {
        #expect(Self.verifier.garbageFailures().isEmpty)
        let frames = Self.published.map(Self.bytes)
        let noisy = DecoderVerifier<AA55FrameDecoder>.withGarbage(frames, fraction: 0.3, avoiding: [0xAA])
        #expect(Self.verifier.frames(noisy).map(\.bytes) == frames)
    }

    @Test func onlyTheReadOnlyCommandsMayBeTransmitted() {
        #expect(AA55Command.handshake.bytes == Self.bytes("AA 55 FF 02 01 CA"))
        #expect(AA55Command.queryBattery.bytes == Self.bytes("AA 55 FF 02 03 76"))
        #expect(AA55Command.queryStripMeterKind.bytes == Self.bytes("AA 55 E0 02 02 3D"))
        #expect(AA55Command.mayTransmit([UInt8](repeating: 0, count: 80)))
        #expect(!AA55Command.mayTransmit([UInt8](repeating: 0, count: 79)))
        // Every token with every type byte (and a zero data byte, as the set commands carry):
        // only the three frames above pass.
        var allowed: [[UInt8]] = []
        for token in UInt8.min...UInt8.max {
            for type in UInt8.min...UInt8.max {
                for body in [[type], [type, 0x00], [type, 0x00, 0x00]] {
                    let wire = AA55FrameBuilder.frame(token: token, body: body)
                    if AA55Command.mayTransmit(wire) { allowed.append(wire) }
                }
            }
        }
        #expect(allowed == [Self.bytes("AA 55 E0 02 02 3D"), Self.bytes("AA 55 FF 02 01 CA"), Self.bytes("AA 55 FF 02 03 76")])
        // Named dangers: cuff inflation, calibration, leak test, patient type, strip-meter type,
        // thermometer mode, firmware update, sleep.
        for hex in ["AA 55 40 02 01", "AA 55 40 02 11", "AA 55 40 02 13", "AA 55 40 02 15", "AA 55 40 03 04 00",
                    "AA 55 E0 03 01 00", "AA 55 72 03 03 00", "AA 55 F0 03 01 01", "AA 55 FF 04 05 00 00"] {
            let partial = Self.bytes(hex)
            let wire = partial + [CRC8.maxim.checksum(partial)]
            #expect(!AA55Command.mayTransmit(wire), "\(hex) must never be sent")
        }
    }
}

/// Builds wire frames from token and body, for tests.
enum AA55FrameBuilder {
    static func frame(token: UInt8, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0xAA, 0x55, token, UInt8(body.count + 1)] + body
        out.append(CRC8.maxim.checksum(out))
        return out
    }
}
