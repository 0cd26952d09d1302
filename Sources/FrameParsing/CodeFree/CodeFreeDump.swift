public import PocGateCore

/// One CodeFree record with its stable key.
public struct CodeFreeEntry: Sendable, Equatable {
    public var record: CodeFreeRecord
    /// The stable identity of this measurement within the meter (never the fetch position).
    public var recordKey: String
    /// The record message, for provenance.
    public var raw: [UInt8]

    /// The reading, or nil with a reason.
    public func reading(profileID: String, serial: String) -> Result<Reading, CodeFreeProblem> {
        guard let flags = record.flags else { return .failure(.unknownMeal(record.meal, Hex.string(raw))) }
        let unit = "mg/dL"
        guard let code = ObservationKind.glucose.loincCode(unit: unit) else { return .failure(.unknownMeal(record.meal, "")) }
        return .success(Reading(profileID: profileID, deviceSerial: serial, deviceModel: CodeFreeDump.model, recordKey: recordKey,
                                kind: .glucose, code: code, value: ExactDecimal(record.mgdL), unit: unit,
                                deviceTime: record.time, flags: flags, raw: raw))
    }
}

/// Why a CodeFree record did not become a reading.
public enum CodeFreeProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A meal byte other than 00, 10, 20.
    case unknownMeal(UInt8, String)
    /// A message that is none of the documented ones.
    case unknownMessage(String)

    public var description: String {
        switch self {
        case let .unknownMeal(m, hex): return "meal byte 0x\(Hex.byte(m)) is not a documented value [\(hex)]"
        case let .unknownMessage(hex): return "message is not a documented CodeFree reply [\(hex)]"
        }
    }
}

/// What one frame told the dump.
public enum CodeFreeDumpEvent: Sendable, Equatable {
    case challenge
    case recordCount(Int)
    case entry(CodeFreeEntry)
    case disconnected
    case problem(CodeFreeProblem)
}

/// Assembles what a CodeFree meter sends (challenge, count, one record per fetch) into records.
/// The protocol reports no serial number and no clock.
public struct CodeFreeDump: Sendable {
    /// The model name written into readings.
    public static let model = "SD CodeFree"

    public private(set) var recordCount: Int?
    /// How often each record key's text (without its occurrence) was seen, by its UTF-8 bytes.
    private var occurrences = KeyTextCounts()
    /// The record key's text, written here and copied once into the key.
    private var keyText: [UInt8] = []

    public init() {}

    public mutating func consume(_ frame: CodeFreeFrame) -> CodeFreeDumpEvent {
        switch CodeFreeMessage(frame.message) {
        case .challenge:
            occurrences.removeAll()
            return .challenge
        case let .recordCount(n):
            recordCount = n
            return .recordCount(n)
        case let .record(r):
            // minute|mg/dL|meal byte in hex|occurrence
            keyText.removeAll(keepingCapacity: true)
            keyText.appendMinuteStamp(r.time)
            keyText.append(UInt8(ascii: "|"))
            keyText.appendDecimal(r.mgdL)
            keyText.append(UInt8(ascii: "|"))
            keyText.appendHex(r.meal)
            let n = occurrences.next(keyText)
            keyText.append(UInt8(ascii: "|"))
            keyText.appendDecimal(n)
            return .entry(CodeFreeEntry(record: r, recordKey: String(decoding: keyText, as: UTF8.self), raw: frame.message.array))
        case .disconnected:
            return .disconnected
        case .other:
            return .problem(.unknownMessage(Hex.string(frame.message.array)))
        }
    }
}
