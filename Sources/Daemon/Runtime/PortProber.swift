package import DeviceProfiles
package import Logging
package import PocGateCore
import Sessions
package import Transports

/// Tells tied profiles apart on a generic USB bridge: opens the port with each candidate's
/// line settings, in the catalog's order (`match.probe_order`), and sends only that protocol's
/// read-only identification request (`IdentificationProbe`). The first valid answer claims
/// the port. Candidates whose protocol has no identification command are skipped, never
/// driven with another protocol's commands.
package struct PortProber {
    package let port: PortDescription
    package let logger: Logger
    /// Opens the port for one candidate; by default the link its transport says (`PortLink`).
    package var open: (DeviceProfile) throws(LinkError) -> any DeviceLink

    package init(port: PortDescription, logger: Logger) {
        self.port = port
        self.logger = logger
        self.open = { (profile) throws(LinkError) in try PortLink.open(port, profile: profile) }
    }

    package init(port: PortDescription, logger: Logger, open: @escaping (DeviceProfile) throws(LinkError) -> any DeviceLink) {
        self.port = port
        self.logger = logger
        self.open = open
    }

    /// The first candidate that answers, and the verdict in words, e.g.
    /// `probed taidoc-td4277 (answered: model 4277)` or
    /// `probed a (silent), b (no identification command): none answered`.
    package func probe(_ candidates: [DeviceProfile]) -> (profile: DeviceProfile?, verdict: String) {
        var notes: [String] = []
        for candidate in candidates {
            guard let probe = IdentificationProbe.of(candidate) else {
                notes.append("\(candidate.id) (no identification command)")
                continue
            }
            let transport: any DeviceLink
            do {
                transport = try open(candidate)
            } catch {
                notes.append("\(candidate.id) (cannot open: \(error))")
                continue
            }
            let outcome = probe.run(on: transport)
            transport.close()
            logger.debug("identification probe", metadata: ["candidate": "\(candidate.id)", "outcome": "\(outcome)"])
            switch outcome {
            case .answered(let detail):
                notes.append("\(candidate.id) (answered: \(detail))")
                return (candidate, "probed " + notes.joined(separator: ", "))
            case .silent:
                notes.append("\(candidate.id) (silent)")
            case .failed(let why):
                notes.append("\(candidate.id) (\(why))")
            }
        }
        return (nil, "probed " + notes.joined(separator: ", ") + ": none answered")
    }
}
