public import PocGateCore

extension DeclarativePlan {
    /// A declarative profile's capture decoded as it is read (`pocgate replay`, `profile
    /// test`): the same readings, problems and rejected frames as `decodeCapture`, which is
    /// this stream fed once. Memory is bounded by the profile's longest frame on the wire and
    /// one read piece; rejected frames are kept up to `keptRejections` and the rest counted.
    public struct CaptureStream: CaptureStreamDecoder {
        let plan: DeclarativePlan
        let profileID: String
        var dump: DeclarativeDump
        /// Bytes not yet decoded, from `readIndex`; `base` is the capture offset of byte 0.
        var buffer: [UInt8] = []
        var readIndex = 0
        var base = 0
        var counters = DecodeCounters()
        var pendingBytes = 0
        /// How many rejected frames are kept with their bytes.
        public let keptRejections: Int
        /// The first `keptRejections` frames the decoder refused, in capture order.
        public private(set) var rejections: [Rejection] = []
        /// Refused frames not kept in `rejections`.
        public private(set) var droppedRejections = 0

        public init(plan: DeclarativePlan, profileID: String, keptRejections: Int = .max) {
            self.plan = plan
            self.profileID = profileID
            self.keptRejections = keptRejections
            dump = DeclarativeDump(plan: plan)
        }

        /// Every refused frame, kept or counted.
        public var rejectionCount: Int { rejections.count + droppedRejections }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            if readIndex > 0 {
                buffer.removeSubrange(0..<readIndex)
                base += readIndex
                readIndex = 0
            }
            buffer += bytes
            decode(atEnd: false, emit: emit)
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            decode(atEnd: true, emit: emit)
            var s = CaptureStreamSummary()
            s.deviceSerial = dump.serial
            s.deviceModel = dump.model
            s.deviceClock = dump.clock
            s.counters = counters
            s.pendingBytes = pendingBytes
            return s
        }

        /// Decodes what is buffered; before the end it stops where a frame, or the bytes shown
        /// with a refused one, need more input.
        mutating func decode(atEnd: Bool, emit: (CaptureEvent) -> Void) {
            let longest = plan.decoder.maximumFrameLength
            while readIndex < buffer.count {
                let available = buffer.count - readIndex
                let step = buffer.withUnsafeBytes { plan.decoder.decode(UnsafeRawBufferPointer(rebasing: $0[readIndex...])) }
                switch step {
                case let .frame(frame, used):
                    counters.frames += 1
                    let o = dump.consume(frame, profileID: profileID)
                    o.readings.forEach { emit(.reading($0)) }
                    o.problems.forEach { emit(.problem("\($0.reason) [\(Hex.string($0.raw))]")) }
                    readIndex += used
                case let .skip(count, issue):
                    let count = min(max(1, count), available)
                    counters.count(issue, bytes: count)
                    if issue != .garbage {
                        // The refused frame is shown as long as it claims to be, up to the
                        // longest frame the profile allows and the end of the capture.
                        let claimed = buffer.withUnsafeBytes { plan.candidateLength(UnsafeRawBufferPointer(rebasing: $0[readIndex...])) }
                        let wanted = claimed.map { min($0, longest) } ?? count
                        if !atEnd, wanted > available { return }
                        reject(max(min(wanted, available), count), issue)
                    }
                    readIndex += count
                case .needMore:
                    if available > longest {
                        // A decoder keeps `.needMore` within its longest frame; past it the
                        // first byte is dropped as the frame stream would.
                        counters.count(.oversized, bytes: 1)
                        reject(1, .oversized)
                        readIndex += 1
                    } else if atEnd {
                        reject(available, .malformed("the capture ends inside a frame"))
                        pendingBytes = available
                        readIndex = buffer.count
                    } else {
                        return
                    }
                }
            }
        }

        /// Records the refused `length` bytes at `readIndex`.
        mutating func reject(_ length: Int, _ issue: DecodeIssue) {
            guard rejections.count < keptRejections else { droppedRejections += 1; return }
            rejections.append(Rejection(offset: base + readIndex, bytes: Array(buffer[readIndex..<(readIndex + length)]), issue: issue))
        }
    }
}
