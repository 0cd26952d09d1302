public import FrameParsing
public import Transports
import PocGateCore

/// The one read loop under every session: it owns the link's read buffer, the decoder's
/// stream and the deadline, and hands back whole frames. A session says what it waits for
/// and how long; the reader reads, appends and decodes. Byte-stream links (a tty) and
/// message links (HID reports, BLE notifications) go through it the same way: a message is
/// appended like any chunk, and the decoder finds its frames.
public struct FrameReader<Decoder: FrameDecoder> {
    private let link: any DeviceLink
    private var stream: FrameStream<Decoder>
    private var buffer: [UInt8]

    /// - Parameter chunkSize: the most bytes one read takes; raised to the link's message
    ///   length for a message link, so a message is never cut.
    public init(_ decoder: Decoder, link: any DeviceLink, chunkSize: Int) {
        self.link = link
        stream = FrameStream(decoder)
        var size = chunkSize
        if case let .messages(maximumLength) = link.delivery { size = max(size, maximumLength) }
        buffer = [UInt8](repeating: 0, count: max(1, size))
    }

    /// Frames skipped so far (garbage, bad checksums), for the session's log line.
    public var counters: DecodeCounters { stream.counters }

    /// Bytes read but not (yet) part of a whole frame: counted at the end of a session as
    /// bytes the link ended with.
    public var pendingBytes: Int { stream.pendingCount }

    /// The next whole frame, reading until `deadline` (monotonic milliseconds, `Monotonic`);
    /// nil once the deadline passes or a read times out with nothing. A link failure ends the
    /// session.
    public mutating func next(until deadline: Int64) throws(SessionEnding) -> Decoder.Frame? {
        while true {
            if let frame = stream.next() { return frame }
            let left = deadline - Monotonic.millis()
            if left <= 0 { return nil }
            if try fill(timeoutMillis: Int(left)) == 0 { return nil }
        }
    }

    /// The next whole frame within `millis` from now.
    public mutating func next(within millis: Int) throws(SessionEnding) -> Decoder.Frame? {
        try next(until: Monotonic.millis() + Int64(millis))
    }

    /// The next frame among bytes already read; never reads.
    public mutating func buffered() -> Decoder.Frame? { stream.next() }

    /// Reads what the link has, waiting up to `timeoutMillis` for the first byte, and appends
    /// it for decoding. Returns the bytes read (0: the wait ended with nothing).
    /// `observe`, when given, sees each chunk before it is decoded (the ECG session counts
    /// bytes until the first record marker).
    @discardableResult
    public mutating func fill(timeoutMillis: Int, observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(SessionEnding) -> Int {
        let link = self.link
        let result: Result<Int, LinkError> = buffer.withUnsafeMutableBytes { buf in
            do throws(LinkError) {
                return .success(try link.read(into: buf, timeoutMillis: timeoutMillis))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case let .success(n):
            if n > 0 {
                buffer.withUnsafeBytes { raw in
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                    observe?(chunk)
                    stream.append(chunk)
                }
            }
            return n
        case let .failure(error):
            throw SessionEnding(error)
        }
    }

    /// Drops what was read and not decoded, and what the link holds unread (before a resend).
    public mutating func discard() {
        stream.reset()
        link.discardInput()
    }
}

extension FrameReader {
    /// Why the decoder last skipped bytes, for a debug line.
    public var lastIssue: DecodeIssue? { stream.lastIssue }
}
