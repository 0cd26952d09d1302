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
    /// mapper a live session uses. `rejections` lists every refused frame with its bytes.
    public func decodeCapture(_ bytes: [UInt8], profileID: String) -> (capture: DecodedCapture, rejections: [Rejection]) {
        var out = DecodedCapture()
        var rejections: [Rejection] = []
        var dump = DeclarativeDump(plan: self)
        var offset = 0
        bytes.withUnsafeBytes { all in
            while offset < all.count {
                let rest = UnsafeRawBufferPointer(rebasing: all[offset...])
                switch decoder.decode(rest) {
                case let .frame(frame, used):
                    out.counters.frames += 1
                    let o = dump.consume(frame, profileID: profileID)
                    out.readings += o.readings
                    out.problems += o.problems.map { "\($0.reason) [\(Hex.string($0.raw))]" }
                    offset += used
                case let .skip(count, issue):
                    out.counters.count(issue, bytes: count)
                    if issue != .garbage {
                        let span = candidateLength(rest).map { min($0, rest.count) } ?? count
                        rejections.append(Rejection(offset: offset, bytes: Array(rest[0..<max(span, count)]), issue: issue))
                    }
                    offset += count
                case .needMore:
                    rejections.append(Rejection(offset: offset, bytes: Array(rest),
                                                issue: .malformed("the capture ends inside a frame")))
                    out.pendingBytes = rest.count
                    offset = all.count
                }
            }
        }
        out.deviceSerial = dump.serial
        out.deviceModel = dump.model
        out.deviceClock = dump.clock
        return (out, rejections)
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
