extension DeclarativePlan {
    /// One frame the decoder refused, for `pocgate profile test`.
    public struct Rejection: Sendable, Equatable {
        /// Byte offset in the capture.
        public var offset: Int
        /// The bytes of the refused frame (or of the garbage run).
        public var bytes: [UInt8]
        public var issue: DecodeIssue
    }

    /// Replays a capture of what a device sent into readings, through the same decoder and
    /// mapper a live session uses. `rejections` lists every refused frame with its bytes (up to
    /// the profile's longest frame). The capture stream fed once.
    public func decodeCapture(_ bytes: [UInt8], profileID: String) -> (capture: DecodedCapture, rejections: [Rejection]) {
        var stream = CaptureStream(plan: self, profileID: profileID)
        let capture = stream.collect(bytes)
        return (capture, stream.rejections)
    }

    /// The length the frame at the start of `bytes` claims, when it can be told without unescaping.
    func candidateLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard spec.frame.escape == nil else { return nil }
        switch spec.frame.length {
        case let .fixed(n): return n
        case let .field(l):
            guard bytes.count >= l.offset + l.size else { return nil }
            let n = decoder.lengthNumber(bytes, l.offset)
            return decoder.lengthBase + n
        case .terminated: return decoder.terminatorEnd(bytes)
        }
    }
}
