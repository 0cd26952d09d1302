public import PocGateCore

extension ECGTransferDump {
    /// `pocgate replay` of a framed ECG transfer capture as it is read: the same readings and
    /// problems as `decodeCapture` (which is this stream fed once), in bounded memory: the
    /// longest frame (`ECGTransferFrame.maximumLength`) and one read piece.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(ECGTransferFrameDecoder())
        var deviceSerial: String?

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let frame = stream.next() {
                switch frame.record() {
                case let .success(record):
                    let serial = record.deviceSerial ?? DecodedCapture.unknownSerial
                    deviceSerial = record.deviceSerial ?? deviceSerial
                    record.readings(profileID: profileID, serial: serial, model: model, raw: frame.headerBytes)
                        .forEach { emit(.reading($0)) }
                case let .failure(problem):
                    emit(.problem(problem.description))
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = deviceSerial
            s.deviceModel = model
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
