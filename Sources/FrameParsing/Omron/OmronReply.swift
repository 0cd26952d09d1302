/// What one Omron answer says. A successful answer is `OK`, alone or followed by a status byte
/// (0x00), the data and an XOR check byte: the XOR of everything after `OK` is then 0.
public enum OmronReply: Sendable, Equatable {
    /// `OK` alone: the device accepted the wake-up (clearing) reports.
    case acknowledged
    /// `NO`: the device refused the command for now; the notes say to send it again.
    case refused
    /// `OFF\r\n`: the answer to `END`, the device is switching off.
    case off
    /// The reading-count answer (`GDC`) of the bank asked: how many measurements it holds.
    case count(Int)
    /// A stored measurement (`GME`): the 15 bytes after `OK` (status, 13 data bytes, check).
    case measurement([UInt8])
    /// An `OK` answer of another length (the version, profile or serial texts): not read here.
    case otherAnswer(length: Int)
    /// An `OK` answer whose check byte does not match: the bytes after `OK`.
    case badCheck([UInt8])
    /// Bytes that are none of the above.
    case unrecognised([UInt8])

    /// The bytes after `OK` of a reading-count answer: status, 4 data bytes (the count is the
    /// last), check.
    public static let countPayloadLength = 6
    /// The bytes after `OK` of a stored measurement.
    public static let measurementPayloadLength = 15

    /// Classifies the joined bytes of one answer.
    public init(_ bytes: InlineBytes) {
        let b = bytes.array
        let ok = b.count >= 2 && b[0] == UInt8(ascii: "O") && b[1] == UInt8(ascii: "K")
        if b.count == 2, ok { self = .acknowledged; return }
        if b.count == 2, b[0] == UInt8(ascii: "N"), b[1] == UInt8(ascii: "O") { self = .refused; return }
        if b.count >= 3, b[0] == UInt8(ascii: "O"), b[1] == UInt8(ascii: "F"), b[2] == UInt8(ascii: "F") { self = .off; return }
        guard ok, b.count >= 4 else { self = .unrecognised(b); return }
        let payload = Array(b[2...])
        guard Checksum.xor8(payload) == 0 else { self = .badCheck(payload); return }
        switch payload.count {
        case Self.countPayloadLength: self = .count(Int(payload[4]))
        case Self.measurementPayloadLength: self = .measurement(payload)
        default: self = .otherAnswer(length: payload.count)
        }
    }
}
