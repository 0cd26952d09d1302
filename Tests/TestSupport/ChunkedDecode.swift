public import FrameParsing

/// Bytes through a `FrameStream` in reads of a fixed size, as a live link or a replay hands
/// them over: the frames, the counters, and the decoder's scan state at the end (whose
/// `examined` count is the work the framing-cost tests bound).
public struct ChunkedDecode<Decoder: FrameDecoder> {
    public private(set) var frames: [Decoder.Frame] = []
    public let counters: DecodeCounters
    public let scanState: Decoder.ScanState

    /// `bytes` through a stream of `decoder` in reads of `chunk` bytes, each read decoded with
    /// `append` + `next()`, or with `forEachFrame` when `batch`.
    public init(_ decoder: Decoder, _ bytes: [UInt8], chunk: Int, batch: Bool) {
        var stream = FrameStream(decoder)
        var frames: [Decoder.Frame] = []
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(bytes.count, i + chunk)])
            if batch {
                piece.withUnsafeBytes { stream.forEachFrame(in: $0) { frames.append($0) } }
            } else {
                stream.append(piece)
                while let frame = stream.next() { frames.append(frame) }
            }
            i += chunk
        }
        self.frames = frames
        counters = stream.counters
        scanState = stream.scanState
    }
}
