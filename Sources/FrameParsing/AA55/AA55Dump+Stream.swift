public import PocGateCore

extension AA55Dump {
    /// `pocgate replay` of a kiosk board capture as it is read: the same readings and problems
    /// as `decodeCapture` (which is this stream fed once per read), in bounded memory: the
    /// longest frame (`AA55Frame.maximumLength`), one read piece and the dump's state. A frame
    /// is stamped with the receive time of the piece that completed it.
    public struct CaptureStream: CaptureStreamDecoder {
        var stream = FrameStream(AA55FrameDecoder())
        var dump: AA55Dump

        public init(profileID: String) { dump = AA55Dump(profileID: profileID) }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let frame = stream.next() {
                dump.consume(frame, receivedAt: receivedAt, reading: { emit(.reading($0)) },
                             problem: { emit(.problem($0.description)) })
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceModel = model
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
