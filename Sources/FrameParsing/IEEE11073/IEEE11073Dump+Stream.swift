public import PocGateCore

extension IEEE11073Dump {
    /// `pocgate replay` of an IEEE 11073-20601 agent capture as it is read:
    /// the same readings and problems as `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(IEEE11073APDUDecoder())
        var manager: IEEE11073Manager

        public init(profileID: String) {
            self.profileID = profileID
            manager = IEEE11073Manager(profileID: profileID)
        }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let apdu = stream.next() {
                let step = manager.consume(apdu)
                step.readings.forEach { emit(.reading($0)) }
                for p in step.problems {
                    emit(.problem(p.raw.isEmpty ? p.why : "\(p.why) [\(Hex.string(p.raw))]"))
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = manager.serial
            s.deviceModel = manager.model
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
