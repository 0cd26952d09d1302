/// One SCP-ECG section: the 16-byte header (CRC u16, id u16, length u32, section version,
/// protocol version, 6 reserved bytes) and the body after it.
public struct SCPSection: Sendable, Hashable {
    /// The section id (0 pointers, 1 patient data, 2 Huffman tables, 3 leads, 6 rhythm, 7 measurements…).
    public var id: Int
    /// Section version byte.
    public var sectionVersion: UInt8
    /// Protocol version byte.
    public var protocolVersion: UInt8
    /// The bytes after the 16-byte header.
    public var body: ArraySlice<UInt8>

    /// Header size.
    public static let headerLength = 16

    /// The section at `offset` (0-based) in `record`, `length` bytes long, with its CRC and
    /// header checked against what the pointer said.
    static func read(_ record: [UInt8], offset: Int, length: Int, expectedID: Int) throws(SCPProblem) -> SCPSection {
        guard length >= headerLength else {
            throw .malformed(section: expectedID, "length \(length) is shorter than the 16-byte section header")
        }
        guard offset >= 0, offset <= record.count, length <= record.count - offset else {
            throw .pointerOutside(id: expectedID, index: offset + 1, length: length, recordLength: record.count)
        }
        let id = Int(SCPBytes.u16(record, offset + 2))
        let statedLength = Int(SCPBytes.u32(record, offset + 4))
        guard id == expectedID, statedLength == length else {
            throw .sectionHeaderMismatch(id: expectedID, found: id, length: length, headerLength: statedLength)
        }
        let carried = SCPBytes.u16(record, offset)
        let computed = record.withUnsafeBytes { CCITTFalse.checksum(UnsafeRawBufferPointer(rebasing: $0[(offset + 2)..<(offset + length)])) }
        guard carried == computed else { throw .sectionCRC(id: id, computed: computed, carried: carried) }
        return SCPSection(id: id, sectionVersion: record[offset + 8], protocolVersion: record[offset + 9],
                          body: record[(offset + Self.headerLength)..<(offset + length)])
    }
}

/// Little-endian reads with the bounds already checked by the caller.
enum SCPBytes {
    static func u16<C: RandomAccessCollection>(_ b: C, _ i: C.Index) -> UInt16 where C.Element == UInt8, C.Index == Int {
        UInt16(b[i]) | UInt16(b[i + 1]) << 8
    }

    static func u32<C: RandomAccessCollection>(_ b: C, _ i: C.Index) -> UInt32 where C.Element == UInt8, C.Index == Int {
        UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16
    }

    static func i16<C: RandomAccessCollection>(_ b: C, _ i: C.Index) -> Int16 where C.Element == UInt8, C.Index == Int {
        Int16(bitPattern: u16(b, i))
    }
}

/// A bounds-checked little-endian cursor over a section body.
struct SCPCursor {
    let bytes: ArraySlice<UInt8>
    let section: Int
    var at: Int

    init(_ bytes: ArraySlice<UInt8>, section: Int) {
        self.bytes = bytes
        self.section = section
        at = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - at }

    mutating func need(_ n: Int, _ what: String) throws(SCPProblem) {
        guard n >= 0, remaining >= n else { throw .truncated("section \(section) ends inside \(what)") }
    }

    mutating func u8(_ what: String) throws(SCPProblem) -> UInt8 {
        try need(1, what)
        defer { at += 1 }
        return bytes[at]
    }

    mutating func u16(_ what: String) throws(SCPProblem) -> UInt16 {
        try need(2, what)
        defer { at += 2 }
        return SCPBytes.u16(bytes, at)
    }

    mutating func i16(_ what: String) throws(SCPProblem) -> Int16 {
        Int16(bitPattern: try u16(what))
    }

    mutating func u32(_ what: String) throws(SCPProblem) -> UInt32 {
        try need(4, what)
        defer { at += 4 }
        return SCPBytes.u32(bytes, at)
    }

    mutating func take(_ n: Int, _ what: String) throws(SCPProblem) -> ArraySlice<UInt8> {
        try need(n, what)
        defer { at += n }
        return bytes[at..<(at + n)]
    }
}
