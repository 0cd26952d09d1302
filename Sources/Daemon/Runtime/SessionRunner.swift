import DeviceProfiles
import Logging
import SerialIO

/// Which live conversation runs for a profile's protocol. Protocols that can be decoded from a
/// capture (`pocgate replay`) but have no live session yet are refused with a clear reason,
/// never driven with another protocol's commands.
enum SessionRunner {
    /// Runs the profile's session over `transport`, or returns nil when the protocol has none.
    /// `fallbackSerial` identifies a device whose records carry no serial (ECG carts).
    /// `clock` gives the gateway's local time where a protocol's answer carries one (HL7 ACKs).
    static func run(_ profile: DeviceProfile, transport: any ByteTransport, sink: any SessionSink,
                    clock: DeviceClockSettings = DeviceClockSettings(), fallbackSerial: String,
                    logger: Logger) -> (SessionSummary, skipped: (garbage: Int, rejected: Int))? {
        switch profile.protocol {
        case .taidocTD42xx, .taidocBloodPressure:
            let session = TaiDocSession(transport: transport, profile: profile, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .declarative:
            guard let plan = profile.declarative, !plan.spec.script.isEmpty else { return nil }
            let session = DeclarativeSession(transport: transport, profile: profile, plan: plan, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .astmE1394:
            let session = ASTMSession(transport: transport, profile: profile, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .ieee11073:
            let session = IEEE11073Session(transport: transport, profile: profile, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .hl7MLLP:
            let session = HL7Session(transport: transport, profile: profile, logger: logger,
                                     now: { clock.localTime(millis: WallClock.millis()) })
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .onetouchUltra2:
            let session = Ultra2Session(transport: transport, profile: profile, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .lifescanBinary:
            let session = LifeScanSession(transport: transport, profile: profile, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .freestyleOptium:
            let session = FreeStyleSession(transport: transport, profile: profile, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .sdCodeFree, .kioskAA55:
            return nil
        case .scpECG, .ecgWaveform:
            let session = ECGListenSession(transport: transport, profile: profile,
                                           encoding: profile.protocol == .scpECG ? .scp : .framedTransfer, logger: logger,
                                           fallbackSerial: fallbackSerial)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        }
    }
}
