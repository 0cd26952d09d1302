import Sessions
import DeviceProfiles
import Foundation
import FrameParsing
import PocGateCore
import TestSupport
import Testing

/// The interpreted decoder against the streaming contract and the checksum families.
@Suite struct DeclarativeDecoderTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func shipped(_ path: String) throws -> DeviceProfile {
        let file = repo + "/DeviceProfiles/" + path + "/profile.yaml"
        return try DeviceProfile.parse(try String(contentsOfFile: file, encoding: .utf8), file: file, families: .builtIn)
    }

    static func capture(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: repo + "/DeviceProfiles/" + path)))
    }

    @Test func taidocDeclarativeSplitsAnywhere() throws {
        let plan = try #require(try Self.shipped("taidoc/td4277-declarative").declarative)
        let bytes = try Self.capture("taidoc/td4277-declarative/captures/vectors.bin")
        let verifier = DecoderVerifier(plan.decoder)
        #expect(verifier.frames(bytes).count == 12)
        #expect(verifier.splitFailures(bytes).isEmpty)
        #expect(verifier.garbageFailures().isEmpty)
    }

    /// The 8-byte word kernel (chosen for TaiDoc-shaped frames) and its batch path find exactly
    /// the frames and skips of the general path, on good frames, noise, wrong direction and bad sums.
    @Test func wordKernelAgreesWithTheGeneralPath() throws {
        let spec = try #require(try Self.shipped("taidoc/td4277-declarative").declarative).spec
        var general = spec
        general.frame.require.append(ByteRule(offset: 0, value: 0x51))   // overlaps the start byte: no word kernel
        var rng = SystemRandomNumberGenerator()
        var bytes = try Self.capture("taidoc/td4277-declarative/captures/vectors.bin")
        for _ in 0..<400 {
            var f: [UInt8] = [0x51, [0x22, 0x24, 0x25, 0x26, 0x99][Int.random(in: 0..<5, using: &rng)]] + (0..<4).map { _ in UInt8.random(in: 0...255, using: &rng) }
            f.append(Int.random(in: 0..<10, using: &rng) == 0 ? 0xA3 : 0xA5)
            f.append(f.reduce(0, &+) &+ (Int.random(in: 0..<8, using: &rng) == 0 ? 1 : 0))
            bytes += f + (Int.random(in: 0..<6, using: &rng) == 0 ? [0x00, 0x51] : [])
        }
        func run(_ s: DeclarativeSpec, batch: Bool) -> ([DeclarativeFrame], DecodeCounters) {
            var stream = FrameStream(DeclarativeFrameDecoder(s))
            var out: [DeclarativeFrame] = []
            if batch {
                bytes.withUnsafeBytes { stream.forEachFrame(in: $0) { out.append($0) } }
            } else {
                stream.append(bytes)
                while let f = stream.next() { out.append(f) }
            }
            return (out, stream.counters)
        }
        let reference = run(general, batch: false)
        #expect(reference.0.count > 200)
        for batch in [false, true] {
            let r = run(spec, batch: batch)
            #expect(r.0 == reference.0)
            #expect(r.1 == reference.1)
        }
    }

    @Test func lengthFieldFramesSplitAnywhereAndBadCRCIsRefused() throws {
        let plan = try #require(try Self.shipped("carewell/nibp-module").declarative)
        let bytes = try Self.capture("carewell/nibp-module/captures/measurements.bin")
        let verifier = DecoderVerifier(plan.decoder)
        let (frames, counters) = verifier.frames([bytes])
        #expect(frames.count == 7)
        #expect(counters.badChecksums == 1)
        #expect(verifier.splitFailures(bytes).isEmpty)
        #expect(verifier.garbageFailures().isEmpty)
    }

    /// A spec built in code: byte-stuffed, terminated, CRC-16/KERMIT little-endian.
    static let stuffed = DeclarativeSpec(
        frame: FrameSpec(start: [0x7E], length: .terminated, maximumLength: 32, terminator: [0x7F],
                         escape: .xor(byte: 0x7D, mask: 0x20),
                         checksum: ChecksumSpec(family: .crc16Kermit, from: 1, to: -4, position: -3, order: .little)),
        records: [RecordSpec(name: "v", rules: [ByteRule(offset: 1, value: 0x01)],
                             fields: [FieldSpec(name: "x", offset: 2, size: 2, type: .uint)])],
        readings: [], device: DeviceIdentitySpec())

    static func stuffedFrame(_ payload: [UInt8]) -> [UInt8] {
        var body: [UInt8] = [0x7E] + payload + [0, 0, 0x7F]
        CompiledChecksum(stuffed.frame.checksum!).fill(&body)
        var wire: [UInt8] = [0x7E]
        for b in body[1..<(body.count - 1)] {
            if b == 0x7D || b == 0x7E || b == 0x7F { wire += [0x7D, b ^ 0x20] } else { wire.append(b) }
        }
        return wire + [0x7F]
    }

    @Test func escapedTerminatedFramesUnescapeAndSplitAnywhere() throws {
        let decoder = DeclarativeFrameDecoder(Self.stuffed)
        let a = Self.stuffedFrame([0x01, 0x7E, 0x7D]), b = Self.stuffedFrame([0x01, 0x12, 0x34])
        var corrupt = Self.stuffedFrame([0x01, 0x00, 0x05])
        corrupt[3] ^= 0x01
        let stream = [0x00, 0x11] + a + corrupt + b
        let verifier = DecoderVerifier(decoder)
        let (frames, counters) = verifier.frames([stream])
        #expect(frames.count == 2)
        #expect(frames.first?.bytes.array == [0x7E, 0x01, 0x7E, 0x7D] + Array(frames[0].bytes.array.suffix(3)))
        #expect(counters.badChecksums == 1)
        #expect(verifier.splitFailures(stream).isEmpty)
        #expect(verifier.garbageFailures().isEmpty)
        let x = frames[1].bytes.withBytes { Self.stuffed.records[0].fields[0].extract($0) }
        #expect(x?.integer == 0x1234)
    }

    /// Fuzz regression: a run of start bytes, then escaped frames. An escaped frame is longer on
    /// the wire than unescaped, so the stream's length guard must use the wire length, or it
    /// drops bytes the decoder still needs and chunked input decodes differently.
    @Test func escapedFramesLongerOnTheWireThanTheMaximumSplitAnywhere() {
        let decoder = DeclarativeFrameDecoder(Self.stuffed)
        #expect(decoder.maximumFrameLength == 1 + 2 * 30 + 1)
        let escapedHeavy = Self.stuffedFrame([0x01] + [UInt8](repeating: 0x7D, count: 20))
        #expect(escapedHeavy.count > Self.stuffed.frame.maximumLength)
        let stream = [UInt8](repeating: 0x7E, count: 70) + [0x00] + escapedHeavy + [0x11] + Self.stuffedFrame([0x01, 0x7D, 0x01])
        let verifier = DecoderVerifier(decoder)
        #expect(verifier.frames(stream).count == 2)
        #expect(verifier.splitFailures(stream, randomSplits: 100).isEmpty)
    }

    @Test func checksumFamiliesMatchTheSharedImplementations() {
        let data: [UInt8] = Array("123456789".utf8)
        func check(_ family: ChecksumSpec.Family, _ order: ByteOrder = .big) -> (UInt32, UInt32)? {
            var frame = data + [UInt8](repeating: 0, count: family.carriedSize)
            let c = CompiledChecksum(ChecksumSpec(family: family, from: 0, to: data.count - 1, position: data.count, order: order))
            c.fill(&frame)
            return frame.withUnsafeBytes { c.evaluate($0) }.map { ($0.expected, $0.carried) }
        }
        // The catalogue check values of each named CRC over "123456789".
        #expect(check(.crc16CCITTFalse)?.0 == 0x29B1)
        #expect(check(.crc16XModem)?.0 == 0x31C3)
        #expect(check(.crc16Kermit, .little)?.0 == 0x2189)
        #expect(check(.crc16Modbus, .little)?.0 == 0x4B37)
        #expect(check(.crc16ARC)?.0 == 0xBB3D)
        #expect(check(.crc8Maxim)?.0 == 0xA1)
        #expect(check(.crc8SMBus)?.0 == 0xF4)
        #expect(check(.sum8)?.0 == UInt32(Checksum.sum8(data)))
        #expect(check(.xor8)?.0 == UInt32(Checksum.xor8(data)))
        #expect(check(.asciiHexSum8)?.0 == UInt32(Checksum.sum8(data)))
        for f in ChecksumSpec.Family.allCases {
            let r = check(f, .little)
            #expect(r != nil && r!.0 == r!.1, "\(f): a filled frame must check")
        }
    }

    @Test func dateLayoutsDecode() {
        let t = LocalDateTime(year: 2024, month: 8, day: 15, hour: 9, minute: 5)
        #expect(DateLayout.bcd("YYMMDDhhmm").decode([0x24, 0x08, 0x15, 0x09, 0x05]) == t)
        #expect(DateLayout.binary("YYMMDDhhmm").decode([24, 8, 15, 9, 5]) == t)
        #expect(DateLayout.ascii("%Y-%m-%d %H:%M").decode(Array("2024-08-15 09:05".utf8)) == t)
        #expect(DateLayout.taidocPacked.decode([0xCF, 0x30, 0x1E, 0x08]) == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(DateLayout.bcd("YYMMDDhhmm").decode([0x24, 0x13, 0x15, 0x09, 0x05]) == nil)
    }

    @Test func onlyReadOnlyCommandsMayBeTransmitted() throws {
        let plan = try #require(try Self.shipped("taidoc/td4277-declarative").declarative)
        let read = try #require(plan.spec.commands.first { $0.name == "read_value" })
        #expect(plan.frame(for: read, index: 0x0102) == [0x51, 0x26, 0x02, 0x01, 0x00, 0x00, 0xA3, 0x1D])
        #expect(plan.mayTransmit(plan.frame(for: read, index: 7)))
        #expect(plan.mayTransmit([0x51, 0x22, 0, 0, 0, 0, 0xA3, 0x16]))
        #expect(!plan.mayTransmit([0x51, 0x52, 0, 0, 0, 0, 0xA3, 0x46]), "clear memory")
        #expect(!plan.mayTransmit([0x51, 0x33, 0, 0, 0, 0, 0xA3, 0x27]), "set clock")
        #expect(!plan.mayTransmit([0x51, 0x26, 0x02, 0x01, 0x00, 0x00, 0xA3, 0x00]), "bad checksum")
    }
}
