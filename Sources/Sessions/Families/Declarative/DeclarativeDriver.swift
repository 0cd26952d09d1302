import DeviceProfiles
import FrameParsing

/// Profiles that write their protocol themselves (docs/protocols/declarative.md,
/// docs/PROFILES.md): frames, records and readings decode captures; a `session.script` makes
/// a live session, whose first fixed read-only command is also its identification probe.
enum DeclarativeDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .declarative, conversation: .gatewayPolls, liveSession: .whenScripted,
                             typicalBauds: [2400, 4800, 9600, 19200, 38400, 57600, 115200],
                             docsPage: "docs/protocols/declarative.md"),
        decodeCapture: { input, profile in
            profile.declarative.map { $0.decodeCapture(input.deviceBytes, profileID: profile.id).capture } ?? DecodedCapture()
        },
        streamCapture: { profile in
            guard let plan = profile.declarative else { return NoCaptureStream() }
            // Replay shows no rejected frames (`profile test` does, with its own stream).
            return DeclarativePlan.CaptureStream(plan: plan, profileID: profile.id, keptRejections: 0)
        },
        makeSession: { c in
            guard let plan = c.profile.declarative, !plan.spec.script.isEmpty else { return nil }
            return DeclarativeSession(transport: c.link, profile: c.profile, plan: plan, logger: c.logger)
        },
        probe: probe)

    /// The first step of the profile's `session.script` when that step sends a fixed,
    /// read-only command (`writes: false`, no loop index); a frame of one of the step's
    /// expected record types answers it. Nil for a script that starts otherwise.
    @Sendable static func probe(_ profile: DeviceProfile) -> IdentificationProbe? {
        guard let plan = profile.declarative, case let .send(index, expect, stepTimeout, _)? = plan.spec.script.first else {
            return nil
        }
        let (timeout, attempts) = IdentificationProbe.limits(profile)
        let command = plan.spec.commands[index]
        guard !command.writes, !command.tokens.contains(.indexLow), !command.tokens.contains(.indexHigh) else { return nil }
        let decoder = plan.decoder
        let names = plan.spec.records.map(\.name)
        let wanted = Set(expect)
        return IdentificationProbe(family: .declarative, request: plan.frame(for: command),
                                   replyTimeoutMillis: min(timeout, stepTimeout), attempts: attempts) { bytes in
            var stream = FrameStream(decoder)
            stream.append(bytes)
            while let frame = stream.next() {
                if wanted.contains(frame.record) { return "\(command.name) answered with \(names[frame.record])" }
            }
            return nil
        }
    }
}
