import FrameParsing
import Foundation
import Testing

/// `pocgate profile sketch` must find the framing and checksum of shipped binary protocols from
/// their captures alone: nothing about the protocol is given to it.
@Suite struct FrameSketcherTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func capture(_ rel: String) throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: Self.repo + "/DeviceProfiles/" + rel)))
    }

    @Test func taidocFixedEightByteFramesWithSum8() throws {
        let s = FrameSketcher().sketch(try capture("taidoc/td4277/captures/vectors.bin"))
        #expect(s.encoding == .binary)
        #expect(s.start.first == 0x51)
        #expect(s.length == .fixed(8))
        let c = try #require(s.checksum)
        #expect(c.family == "sum8")
        #expect(c.seed == 0)
        #expect(c.fromEnd == 1 && c.coverFrom == 0 && c.coverExcludesLast == 1)
        #expect(c.matching == c.frames)
    }

    @Test func lifescanLengthByteAndCRC16() throws {
        let s = FrameSketcher().sketch(try capture("lifescan/onetouch-ultramini/captures/conversation.bin"))
        #expect(s.encoding == .binary)
        #expect(s.start == [0x02])
        #expect(s.length == .field(offset: 1, size: 1, bigEndian: false, adjust: 0))
        #expect(s.endMarker == FrameSketch.EndMarker(fromEnd: 3, value: 0x03))
        let c = try #require(s.checksum)
        #expect(c.family == "crc16-ccitt-false")
        #expect(c.width == 2 && !c.bigEndian && c.fromEnd == 1)
        #expect(c.coverFrom == 0 && c.coverExcludesLast == 2)
    }

    @Test func codeFreeLengthByteXorAndEndMarker() throws {
        let s = FrameSketcher().sketch(try capture("sd-biosensor/codefree/captures/session.bin"))
        #expect(s.encoding == .binary)
        #expect(s.start.first == 0x53)
        #expect(s.length == .field(offset: 2, size: 1, bigEndian: false, adjust: 3))
        #expect(s.endMarker == FrameSketch.EndMarker(fromEnd: 1, value: 0xAA))
        let c = try #require(s.checksum)
        #expect(c.family == "xor8")
        #expect(c.fromEnd == 2)
    }

    @Test func ultra2TextLinesWithHexSum16() throws {
        let s = FrameSketcher().sketch(try capture("lifescan/onetouch-ultra2/captures/tidepool-dump.bin"))
        #expect(s.encoding == .text)
        let t = try #require(s.text)
        #expect(t.lineEnd == "\r\n")
        #expect(t.leadingCharacters.first == "P")
        let c = try #require(t.checksum)
        #expect(c.family == "sum16" && c.digits == 4)
    }

    @Test func randomBytesGiveNoChecksum() {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<2_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let s = FrameSketcher().sketch(bytes)
        #expect(s.checksum == nil)
    }
}
