package import DeviceProfiles
package import Logging
package import Sessions
package import Transports

/// Starts the live session a profile's family driver makes (`ProtocolRegistry`). A family or
/// profile without one is refused with a clear reason, never driven with another protocol's
/// commands.
package enum SessionRunner {
    /// Runs the profile's session over `link`, or returns nil when it has none.
    /// `fallbackSerial` identifies a device whose records carry no serial (ECG carts).
    /// `clock` gives the gateway's local time where a protocol's answer carries one (HL7 ACKs).
    package static func run(_ profile: DeviceProfile, transport link: any DeviceLink, sink: any SessionSink,
                    clock: DeviceClockSettings = DeviceClockSettings(), fallbackSerial: String,
                    logger: Logger) -> (SessionSummary, skipped: (garbage: Int, rejected: Int))? {
        let context = SessionContext(link: link, profile: profile, logger: logger,
                                     localNow: { clock.localTime(millis: WallClock.millis()) }, fallbackSerial: fallbackSerial)
        guard let session = ProtocolRegistry.driver(for: profile).makeSession?(context) else { return nil }
        let summary = session.runToEnd(into: sink)
        return (summary, (session.counters.garbageBytes, session.counters.rejectedFrames))
    }
}
