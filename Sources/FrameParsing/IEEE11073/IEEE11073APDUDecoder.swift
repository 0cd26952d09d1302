/// Finds IEEE 11073-20601 APDUs in a byte stream.
///
/// An APDU is `choice(2) length(2) body(length)`, big-endian, with no checksum: the decoder
/// accepts a start only when the header and the first structure of the body agree, so a
/// stray byte that merely looks like a choice cannot hold back the APDUs behind it.
///
/// Resynchronisation rules (documented in docs/protocols/ieee11073.md):
/// - a byte that is not 0xE2…0xE7 starts no APDU: the run up to the next such byte is garbage;
/// - a choice whose second byte is not 0x00, a length below the type's minimum or above
///   `maximumAPDULength − 4`, or a body whose leading structure contradicts the length
///   (RLRQ/RLRE/ABRT: length 2; AARQ: association version 0x80000000 and a data-protocol list
///   whose length fills the APDU; AARE: data-protocol list filling the APDU; PRST: the octet
///   string and the DATA APDU's message both filling the APDU) drops that one byte as malformed;
/// - a header that passes these checks waits (`needMore`) for the whole body.
public struct IEEE11073APDUDecoder: FrameDecoder, Sendable {
    /// The largest APDU accepted, header included.
    public let maximumAPDULength: Int

    /// The default bound: 8 KiB, well above the APDUs of the standard configurations (under
    /// 200 bytes) and of a configuration report of an extended configuration (under 1 KiB).
    public static let defaultMaximumAPDULength = 8192

    public init(maximumAPDULength: Int = IEEE11073APDUDecoder.defaultMaximumAPDULength) {
        self.maximumAPDULength = max(16, min(maximumAPDULength, 0xFFFF + 4))
    }

    public var maximumFrameLength: Int { maximumAPDULength }

    /// How many header bytes the structure check needs for each type.
    @inlinable
    static func checkedPrefix(_ type: IEEE11073APDUType) -> Int {
        switch type {
        case .rlrq, .rlre, .abrt: return 4
        case .aarq: return 12
        case .aare: return 10
        case .prst: return 12
        }
    }

    /// The smallest body length each type can have.
    @inlinable
    static func minimumBody(_ type: IEEE11073APDUType) -> Int {
        switch type {
        case .rlrq, .rlre, .abrt: return 2
        case .aarq: return 8
        case .aare: return 6
        case .prst: return 8
        }
    }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<IEEE11073APDU> {
        guard let first = b.first else { return .needMore }
        guard first >= 0xE2 && first <= 0xE7 else {
            return .skip(count: Self.garbageRun(b), because: .garbage)
        }
        guard b.count >= 2 else { return .needMore }
        guard b[1] == 0x00, let type = IEEE11073APDUType(rawValue: UInt16(first) << 8) else {
            return .skip(count: 1, because: .malformed("APDU choice low byte is not 0x00"))
        }
        guard b.count >= 4 else { return .needMore }
        let length = Int(b[2]) << 8 | Int(b[3])
        let total = 4 + length
        guard total <= maximumAPDULength else {
            return .skip(count: 1, because: .malformed("APDU length beyond the bound"))
        }
        guard length >= Self.minimumBody(type) else {
            return .skip(count: 1, because: .malformed("APDU length below the type's minimum"))
        }
        let prefix = min(Self.checkedPrefix(type), total)
        guard b.count >= prefix else { return .needMore }
        guard Self.structureAgrees(type, length: length, b) else {
            return .skip(count: 1, because: .malformed("APDU body structure contradicts its length"))
        }
        guard b.count >= total else { return .needMore }
        return .frame(IEEE11073APDU(checkedType: type, bytes: Array(UnsafeRawBufferPointer(rebasing: b[0..<total]))),
                      consumed: total)
    }

    /// `decode` in a loop over the run of APDUs at the start of `bytes`.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (IEEE11073APDU) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    /// Whether the first structure of the body agrees with the APDU's length. `b` holds at
    /// least `checkedPrefix(type)` bytes (or the whole APDU, when shorter).
    @inlinable
    static func structureAgrees(_ type: IEEE11073APDUType, length: Int, _ b: UnsafeRawBufferPointer) -> Bool {
        func u16(_ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
        switch type {
        case .rlrq, .rlre, .abrt:
            return length == 2
        case .aarq:
            // assoc-version 0x80000000, then DataProtoList count and length (= rest of the APDU).
            return b[4] == 0x80 && b[5] == 0 && b[6] == 0 && b[7] == 0 && u16(8) >= 1 && u16(10) == length - 8
        case .aare:
            // result, then SelectedDataProto: data-proto-id and its info's length (= rest).
            return u16(8) == length - 6
        case .prst:
            // octet-string length (= rest), invoke-id, message choice, message length (= rest).
            return u16(4) == length - 2 && u16(10) == length - 8
        }
    }

    /// The run of bytes before the next possible APDU start (0xE2…0xE7) after the first byte.
    @usableFromInline
    static func garbageRun(_ b: UnsafeRawBufferPointer) -> Int {
        var i = 1
        while i < b.count {
            let c = b[i]
            if c >= 0xE2 && c <= 0xE7 { return i }
            i += 1
        }
        return b.count
    }
}
