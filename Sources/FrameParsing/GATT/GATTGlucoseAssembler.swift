public import PocGateCore

/// Pairs Glucose Measurement and Glucose Measurement Context values as a meter sends them
/// (Glucose Service 1.0: a context, when flag bit 4 announces one, follows its measurement
/// immediately) and turns them into readings, for a session that hands over each value as it
/// arrives. Holds at most one measurement waiting for its context, so memory does not grow
/// with the transfer.
public struct GATTGlucoseAssembler: Sendable {
    /// What one value (or a measurement with its context) became.
    public enum Outcome: Sendable, Equatable {
        /// A reading, to store.
        case reading(Reading)
        /// A value that did not decode, or a record that is no reading: its bytes and why.
        case problem(raw: [UInt8], why: String)
    }

    public let profileID: String
    public let serial: String
    public let model: String
    private var waiting: GATTGlucoseRecord?

    public init(profileID: String, serial: String, model: String) {
        self.profileID = profileID
        self.serial = serial
        self.model = model
    }

    /// The sequence number of the measurement waiting for its context, if any.
    public var waitingSequenceNumber: UInt16? { waiting?.sequenceNumber }

    /// A Glucose Measurement value arrived. A measurement still waiting for its context is
    /// given up on and read without one.
    public mutating func measurement(_ bytes: [UInt8]) -> [Outcome] {
        var out = flush()
        do throws(GATTDecodeError) {
            let record = try GATTGlucoseRecord.decode(bytes)
            if record.contextFollows { waiting = record } else { out.append(outcome(record, nil)) }
        } catch {
            out.append(.problem(raw: bytes, why: error.description))
        }
        return out
    }

    /// A Glucose Measurement Context value arrived: it completes the waiting measurement with
    /// the same sequence number. A context for no waiting measurement is kept as a problem.
    public mutating func context(_ bytes: [UInt8]) -> [Outcome] {
        let context: GATTGlucoseContext
        do throws(GATTDecodeError) { context = try GATTGlucoseContext.decode(bytes) } catch {
            return flush() + [.problem(raw: bytes, why: error.description)]
        }
        guard let record = waiting, record.sequenceNumber == context.sequenceNumber else {
            let why = "context for sequence number \(context.sequenceNumber) without its measurement"
            return flush() + [.problem(raw: bytes, why: why)]
        }
        waiting = nil
        return [outcome(record, context)]
    }

    /// The transfer ended (the RACP answered, or the link went away): the measurement still
    /// waiting is read without its context.
    public mutating func finish() -> [Outcome] { flush() }

    private mutating func flush() -> [Outcome] {
        guard let record = waiting else { return [] }
        waiting = nil
        return [outcome(record, nil)]
    }

    private func outcome(_ record: GATTGlucoseRecord, _ context: GATTGlucoseContext?) -> Outcome {
        switch record.reading(context: context, profileID: profileID, serial: serial, model: model) {
        case let .success(r): return .reading(r)
        case let .failure(p): return .problem(raw: record.raw + (context?.raw ?? []), why: p.description)
        }
    }
}
