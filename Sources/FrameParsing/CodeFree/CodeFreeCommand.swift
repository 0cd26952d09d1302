/// The CodeFree host messages pocgate may send, as an allow-list.
///
/// The clock write (`ADATE…`) and every other message can never be transmitted: an unknown
/// command shows E-5 on the meter and needs a power cycle.
public enum CodeFreeCommand: Sendable, CaseIterable {
    /// `10 40`: the answer to the meter's challenge.
    case answerChallenge
    /// `10 60`: fetch the next record (past the last one, it disconnects).
    case fetchOrDisconnect

    /// The message bytes.
    public var message: [UInt8] {
        switch self {
        case .answerChallenge: return [0x10, 0x40]
        case .fetchOrDisconnect: return [0x10, 0x60]
        }
    }

    /// The framed bytes on the wire.
    public var bytes: [UInt8] { CodeFreeFrame(direction: .hostToMeter, message: message)!.bytes }

    /// Whether `bytes` are exactly one allowed host→meter frame.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        allCases.contains { $0.bytes == bytes }
    }
}
