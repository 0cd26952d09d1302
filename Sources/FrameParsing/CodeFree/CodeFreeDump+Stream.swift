public import PocGateCore

extension CodeFreeDump {
    /// `pocgate replay` of a CodeFree capture as it is read: the same readings and problems as
    /// `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(CodeFreeFrameDecoder(direction: .meterToHost))
        var dump = CodeFreeDump()

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let frame = stream.next() {
                switch dump.consume(frame) {
                case let .entry(entry):
                    switch entry.reading(profileID: profileID, serial: DecodedCapture.unknownSerial) {
                    case let .success(r): emit(.reading(r))
                    case let .failure(p): emit(.problem(p.description))
                    }
                case let .problem(p):
                    emit(.problem(p.description))
                case .challenge, .recordCount, .disconnected:
                    break
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceModel = CodeFreeDump.model
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
