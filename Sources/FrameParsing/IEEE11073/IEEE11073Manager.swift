public import PocGateCore

/// The manager's side of an IEEE 11073-20601 conversation, without I/O: it takes the agent's
/// APDUs one at a time and says what they meant (readings, problems, association events) and
/// which answers to send. The live session stores the readings first, then sends the answers;
/// `pocgate replay` runs the same machine and drops the answers.
public struct IEEE11073Manager: Sendable {
    /// Where the association stands.
    public enum State: Sendable, Equatable {
        /// No association (before the AARQ, after a release or abort).
        case unassociated
        /// Accepted with an unknown configuration: waiting for the configuration report.
        case waitingForConfiguration(configID: UInt16)
        /// Associated with a known configuration: reports are decoded.
        case operating
    }

    /// What one APDU meant.
    public struct Step: Sendable {
        /// APDUs to send, in order, after the readings are stored.
        public var responses: [[UInt8]] = []
        /// Readings decoded from the APDU.
        public var readings: [Reading] = []
        /// Observations or APDUs that did not become readings, each with the reason and raw bytes.
        public var problems: [(why: String, raw: [UInt8])] = []
        /// Observations seen (readings + problems from observations).
        public var observations = 0
        /// The association was accepted (the agent's identity is known from here on).
        public var associated = false
        /// The agent released the association.
        public var released = false
        /// The agent aborted, with its reason.
        public var aborted: UInt16?
    }

    public private(set) var state: State = .unassociated
    /// The agent's system id (EUI-64) as hex: its serial.
    public private(set) var serial: String?
    /// The model name derived from the configuration id.
    public private(set) var model: String?
    /// The configuration reports are decoded against.
    public private(set) var configuration: IEEE11073Configuration?
    /// Extended configurations already reported in this manager's lifetime (one session), by
    /// system id and configuration id, so an agent that associates again is accepted at once.
    private var learned: [String: IEEE11073Configuration] = [:]
    /// How often each record key's text (without its occurrence) was seen since the association.
    private var occurrences = KeyTextCounts()
    /// The record key's text, written here and copied once into the key.
    private var keyText: [UInt8] = []
    private let profileID: String

    public init(profileID: String) { self.profileID = profileID }

    /// Takes one APDU from the agent.
    public mutating func consume(_ apdu: IEEE11073APDU) -> Step {
        var step = Step()
        let message: IEEE11073Message
        do {
            message = try IEEE11073Message(apdu)
        } catch {
            step.problems.append(("\(error)", apdu.bytes))
            return step
        }
        switch message {
        case let .associationRequest(request):
            associate(request, &step)
        case .releaseRequest:
            state = .unassociated
            step.responses.append(IEEE11073Response.releaseResponse())
            step.released = true
        case let .abort(reason):
            state = .unassociated
            step.aborted = reason
        case .associationResponse, .releaseResponse:
            step.problems.append(("agent sent a manager's APDU (\(apdu.type)); ignored", apdu.bytes))
        case let .data(data):
            handle(data, apdu, &step)
        }
        return step
    }

    private mutating func associate(_ request: IEEE11073AssociationRequest, _ step: inout Step) {
        guard request.offersMDER20601 else {
            state = .unassociated
            step.responses.append(IEEE11073Response.associationResponse(.rejectedPermanent))
            step.problems.append(("association refused: the agent does not offer IEEE 11073-20601 with MDER encoding", []))
            return
        }
        let systemID = request.systemIDHex
        serial = systemID.isEmpty ? nil : systemID
        model = IEEE11073StandardConfigurations.modelName(configID: request.devConfigID)
        step.associated = true
        occurrences.removeAll()
        if let known = IEEE11073StandardConfigurations.configuration(id: request.devConfigID)
            ?? learned[learnedKey(request.devConfigID)] {
            configuration = known
            state = .operating
            step.responses.append(IEEE11073Response.associationResponse(.accepted))
        } else {
            configuration = nil
            state = .waitingForConfiguration(configID: request.devConfigID)
            step.responses.append(IEEE11073Response.associationResponse(.acceptedUnknownConfig))
        }
    }

    private func learnedKey(_ configID: UInt16) -> String { "\(serial ?? "")|\(configID)" }

    private mutating func handle(_ data: IEEE11073DataAPDU, _ apdu: IEEE11073APDU, _ step: inout Step) {
        guard let report = data.eventReport else {
            step.problems.append(("DATA message 0x\(Hex.byte(UInt8(data.choice >> 8)))\(Hex.byte(UInt8(data.choice & 0xFF))) is not an event report; not answered", apdu.bytes))
            return
        }
        let confirmed = data.isConfirmedEventReport
        if report.eventType == IEEE11073Nomenclature.notiConfig {
            guard case let .waitingForConfiguration(configID) = state else {
                step.problems.append(("configuration report outside the configuring state; not answered", apdu.bytes))
                return
            }
            let reportID = report.info.count >= 2 ? UInt16(report.info[0]) << 8 | UInt16(report.info[1]) : configID
            var result = IEEE11073Response.ConfigResult.unsupportedConfig
            do {
                var parsed = try IEEE11073Configuration.parseReport(report.info)
                parsed.id = configID
                if parsed.hasDecodableObject {
                    configuration = parsed
                    learned[learnedKey(configID)] = parsed
                    state = .operating
                    result = .acceptedConfig
                } else {
                    step.problems.append(("configuration \(configID) has no object pocgate decodes; refused", apdu.bytes))
                }
            } catch {
                step.problems.append(("configuration report: \(error)", apdu.bytes))
            }
            if confirmed {
                step.responses.append(IEEE11073Response.configurationResult(invokeID: data.invokeID, reportID: reportID, result: result))
            }
            return
        }
        guard IEEE11073ScanReport.isScanReport(report.eventType) else {
            step.problems.append(("event type \(report.eventType) is not decoded; not answered, so the agent keeps its data", apdu.bytes))
            return
        }
        guard state == .operating, let configuration else {
            step.problems.append(("scan report before the association is configured; not answered", apdu.bytes))
            return
        }
        do {
            var seen = occurrences
            occurrences = KeyTextCounts()
            defer { occurrences = seen }
            func count(_ text: [UInt8]) -> Int { seen.next(text) }
            let scan = try IEEE11073ScanReport(eventType: report.eventType, info: report.info, configuration: configuration)
            for p in scan.problems { step.problems.append((p, [])) }
            step.observations += scan.observations.count + scan.problems.count
            for observation in scan.observations {
                guard let object = configuration.object(observation.handle) else {
                    step.problems.append(("observation for handle \(observation.handle), which the configuration does not define", observation.raw))
                    continue
                }
                switch observation.reading(object: object, profileID: profileID, serial: serial ?? DecodedCapture.unknownSerial,
                                           model: model ?? "unknown", keyText: &keyText, occurrence: count) {
                case let .success(reading): step.readings.append(reading)
                case let .failure(problem): step.problems.append((problem.description, observation.raw))
                }
            }
        } catch {
            // A report that cannot be parsed is not acknowledged: the agent keeps its data.
            step.problems.append(("scan report: \(error); not answered", apdu.bytes))
            return
        }
        if confirmed {
            step.responses.append(IEEE11073Response.eventReportResult(invokeID: data.invokeID, objectHandle: report.objectHandle,
                                                                       eventType: report.eventType))
        }
    }
}
