public import PocGateCore

extension SCPDump {
    /// `pocgate replay` of an SCP-ECG capture as it is read: the same readings and problems as
    /// `decodeCapture` (which is this stream fed once), in bounded memory: the longest record
    /// (`SCPRecord.maximumLength`) and one read piece.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(SCPFrameDecoder())
        var deviceSerial: String?
        var deviceModel: String?

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let frame = stream.next() {
                switch readings(frame, profileID: profileID) {
                case let .success((readings, record)):
                    readings.forEach { emit(.reading($0)) }
                    deviceSerial = record.deviceSerial ?? deviceSerial
                    deviceModel = record.deviceModel ?? deviceModel
                case let .failure(problem):
                    emit(.problem(problem.description))
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = deviceSerial
            s.deviceModel = deviceModel ?? model
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
