import PocGateCore

extension SessionSink {
    /// Hands `reading` to the sink; true when it was new. A full store ends the session as
    /// `storeFull`, any other sink failure as `storeFailed`: no record is read on without
    /// being kept, and the device keeps what was not stored.
    func deliver(_ reading: Reading) throws(SessionEnding) -> Bool {
        do {
            return try received(reading)
        } catch let full as SinkFullError {
            throw SessionEnding(outcome: .storeFull(full.detail))
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
    }
}
