import DeviceProfiles
import Logging
import SerialIO

/// Which live conversation runs for a profile's protocol. Protocols that can be decoded from a
/// capture (`pocgate replay`) but have no live session yet are refused with a clear reason,
/// never driven with another protocol's commands.
enum SessionRunner {
    /// Runs the profile's session over `transport`, or returns nil when the protocol has none.
    static func run(_ profile: DeviceProfile, transport: any ByteTransport, sink: any SessionSink,
                    logger: Logger) -> (SessionSummary, skipped: (garbage: Int, rejected: Int))? {
        switch profile.protocol {
        case .taidocTD42xx:
            let session = TaiDocSession(transport: transport, profile: profile, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .declarative:
            guard let plan = profile.declarative, !plan.spec.script.isEmpty else { return nil }
            let session = DeclarativeSession(transport: transport, profile: profile, plan: plan, logger: logger)
            let summary = session.run(into: sink)
            return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
        case .lifescanBinary, .onetouchUltra2, .freestyleOptium, .sdCodeFree:
            return nil
        }
    }
}
