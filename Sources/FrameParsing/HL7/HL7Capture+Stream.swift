public import PocGateCore

extension HL7Capture {
    /// `pocgate replay` of an HL7 v2 / MLLP capture as it is read: the same readings and
    /// problems as `decodeCapture`, in bounded memory.
    public struct Stream: CaptureStreamDecoder {
        let profileID: String
        let analytes: AnalyteTable
        var stream = FrameStream(MLLPFrameDecoder())
        var index = 0
        var deviceSerial: String?
        var deviceModel: String?

        public init(profileID: String, analytes: AnalyteTable = .empty) {
            self.profileID = profileID
            self.analytes = analytes
        }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let block = stream.next() {
                if block.isCommitAcknowledgement { continue }
                index += 1
                switch HL7ORU.interpret(payload: block.payload, profileID: profileID, analytes: analytes) {
                case let .failure(rejection):
                    emit(.problem("message \(index): \(rejection)"))
                case let .success((_, oru)):
                    oru.readings.forEach { emit(.reading($0)) }
                    oru.problems.forEach { emit(.problem("message \(index): \($0)")) }
                    oru.identityProblems.forEach { emit(.problem("message \(index): \($0)")) }
                    deviceSerial = oru.deviceSerial
                    deviceModel = oru.deviceModel
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = deviceSerial
            s.deviceModel = deviceModel
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
