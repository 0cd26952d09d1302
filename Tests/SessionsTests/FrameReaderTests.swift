import FrameParsing
import Sessions
import Testing
import Transports

/// The one read loop under every session: frames out of whatever the link delivers, and the
/// bytes left over when the link ends counted, never dropped silently.
@Suite struct FrameReaderTests {
    /// A link that hands out scripted reads, then ends with `ending`.
    final class ScriptedLink: DeviceLink {
        var reads: [[UInt8]]
        let delivery: LinkDelivery
        let ending: LinkError
        private(set) var largestBuffer = 0

        init(_ reads: [[UInt8]], delivery: LinkDelivery = .byteStream, ending: LinkError = .unplugged(errno: 5)) {
            self.reads = reads
            self.delivery = delivery
            self.ending = ending
        }

        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {}
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
            largestBuffer = max(largestBuffer, buffer.count)
            guard !reads.isEmpty else { throw ending }
            let next = reads.removeFirst()
            let n = min(next.count, buffer.count)
            next.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            if n < next.count { reads.insert(Array(next[n...]), at: 0) }
            return n
        }
        func discardInput() {}
        func close() {}
    }

    static let frame = TaiDocFrame(command: 0x24, payload: (0x77, 0x42, 0, 0), direction: .meterToHost).bytes

    @Test func aFrameCutByAnUnplugIsCountedAsPendingBytes() throws {
        let link = ScriptedLink([Self.frame + Array(Self.frame[0..<5])])
        var reader = FrameReader(TaiDocFrameDecoder(direction: .meterToHost), link: link, chunkSize: 256)
        #expect(try reader.next(within: 1_000)?.command == 0x24)
        do {
            _ = try reader.next(within: 1_000)
            Issue.record("the unplug should end the session")
        } catch {
            #expect(error.outcome == .unplugged)
        }
        #expect(reader.pendingBytes == 5)
    }

    @Test func frameSplitAcrossReadsIsReassembled() throws {
        let link = ScriptedLink([Array(Self.frame[0..<3]), Array(Self.frame[3...])])
        var reader = FrameReader(TaiDocFrameDecoder(direction: .meterToHost), link: link, chunkSize: 2)
        #expect(try reader.next(within: 1_000)?.bytes == Self.frame)
        #expect(reader.pendingBytes == 0)
    }

    /// A message link (a HID report, a BLE notification) is read with a buffer that holds a
    /// whole message, whatever chunk size the session asked for.
    @Test func aMessageLinkIsReadWholeMessageByMessage() throws {
        let report = Self.frame + [UInt8](repeating: 0, count: 56)
        let link = ScriptedLink([report], delivery: .messages(maximumLength: 64))
        var reader = FrameReader(TaiDocFrameDecoder(direction: .meterToHost), link: link, chunkSize: 8)
        #expect(try reader.next(within: 1_000)?.command == 0x24)
        #expect(link.largestBuffer >= 64)
    }
}
