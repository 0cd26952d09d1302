/// The answers of one Omron memory read in the order pocgate asks for them: the wake-up `OK`,
/// then for each bank its count and its measurements (newest first), then `OK` and `OFF` for
/// `END`. Replay has only the device's side, so the bank of a measurement is the number of
/// count answers before it (bank 0 after the first); the live session asks in the same order.
public struct OmronDump: Sendable {
    /// The model written into readings: the notes' device; the protocol names no model in the
    /// answers read here.
    public static let model = "HEM-790IT"

    /// Count answers seen so far.
    /// The most distinct measurements remembered for the occurrence count.
    public static let maximumDistinctRecords = 4096

    public private(set) var countsSeen = 0
    /// The last count answer.
    public private(set) var lastCount = 0
    private var occurrences: [String: Int] = [:]

    public init() {}

    /// What one answer means in the dump.
    public enum Event: Sendable, Equatable {
        /// The bank now being read holds `count` measurements.
        case bank(UInt8, count: Int)
        /// One stored measurement.
        case record(OmronRecord)
        /// A refusal (`NO`): the command is sent again.
        case refused
        /// `OK` (wake-up, end) or `OFF`, or another read's answer: nothing to keep.
        case control
        /// An answer that cannot be read.
        case problem(OmronProblem)
    }

    /// The bank the next measurement belongs to.
    public var currentBank: UInt8 { UInt8(clamping: max(countsSeen - 1, 0)) }

    /// Takes the next answer.
    public mutating func consume(_ response: OmronResponse) -> Event {
        switch response.reply {
        case let .count(n):
            countsSeen += 1
            lastCount = n
            occurrences = [:]
            return .bank(currentBank, count: n)
        case let .measurement(payload):
            var record = OmronRecord(bank: currentBank, payload: payload)
            let identity = record.recordKey
            // A bank holds at most 255 measurements; the bound only matters for a hostile capture.
            if occurrences.count >= Self.maximumDistinctRecords { occurrences = [:] }
            record.occurrence = occurrences[identity, default: 0]
            occurrences[identity] = record.occurrence + 1
            return .record(record)
        case .refused:
            return .refused
        case .acknowledged, .off, .otherAnswer:
            return .control
        case let .badCheck(payload):
            return .problem(.badCheck(hex: Hex.string(Array("OK".utf8) + payload)))
        case let .unrecognised(bytes):
            return .problem(.unexpectedAnswer(hex: Hex.string(bytes)))
        }
    }
}
