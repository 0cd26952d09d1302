/// The APDU types of IEEE 11073-20601 (MDER: a 2-byte choice, then a 2-byte length, both
/// big-endian). The low byte of every choice is 0x00.
public enum IEEE11073APDUType: UInt16, Sendable, CaseIterable {
    /// Association request, agent → manager.
    case aarq = 0xE200
    /// Association response, manager → agent.
    case aare = 0xE300
    /// Association release request.
    case rlrq = 0xE400
    /// Association release response.
    case rlre = 0xE500
    /// Association abort.
    case abrt = 0xE600
    /// Presentation APDU: carries a DATA APDU (event reports and their answers).
    case prst = 0xE700

    /// The first byte of the choice on the wire.
    @inlinable
    public var leadByte: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
}

/// One complete APDU as it travelled: the 4-byte header and the body the header's length names.
///
/// APDUs have no checksum (the transport below carries integrity), so the frame is only as
/// trustworthy as the structure checks the decoder made; the message parse
/// (`IEEE11073Message`) checks everything else.
public struct IEEE11073APDU: Sendable, Hashable {
    /// Which APDU this is.
    public var type: IEEE11073APDUType
    /// The whole APDU, header included.
    public var bytes: [UInt8]

    /// An APDU of `type` around `body` (the header is computed). Nil when the body is longer
    /// than a 16-bit length can say.
    public init?(type: IEEE11073APDUType, body: [UInt8]) {
        guard body.count <= 0xFFFF else { return nil }
        self.type = type
        self.bytes = [type.leadByte, 0x00, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// An APDU from checked wire bytes (the decoder's path).
    @inlinable
    init(checkedType type: IEEE11073APDUType, bytes: [UInt8]) {
        self.type = type
        self.bytes = bytes
    }

    /// The bytes after the 4-byte header.
    public var body: ArraySlice<UInt8> { bytes[4...] }
}
