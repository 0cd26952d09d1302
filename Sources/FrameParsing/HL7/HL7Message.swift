/// One HL7 v2 message split into segments and fields, with its delimiters. Values are
/// unescaped only when read, at the leaf (component or subcomponent), so an escaped
/// delimiter never splits a value.
public struct HL7Message: Sendable, Equatable {
    /// The delimiters from MSH-1 and MSH-2.
    public var encoding: HL7Encoding
    /// The segments in message order; the first is MSH.
    public var segments: [HL7Segment]

    /// Parses `bytes` (one MLLP payload). Segments end with CR; an LF after a CR (or alone) is
    /// tolerated, blank segments are ignored.
    public init(parsing bytes: [UInt8]) throws(HL7ParseError) {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, c) in bytes.enumerated() where Self.endsSegment(c) {
            if i > start { lines.append(bytes[start..<i]) }
            start = i + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        guard let first = lines.first else { throw .empty }
        guard first.starts(with: [UInt8(ascii: "M"), UInt8(ascii: "S"), UInt8(ascii: "H")]) else { throw .noMSH }
        guard let enc = HL7Encoding(msh: first) else { throw .badEncodingCharacters }
        encoding = enc
        segments = []
        segments.reserveCapacity(lines.count)
        for line in lines {
            let segment = HL7Segment(line, enc)
            guard segment.id.count == 3, segment.id.utf8.allSatisfy({ HL7Encoding.isAlphanumeric($0) }) else {
                throw .badSegmentID(String(decoding: line.prefix(8), as: UTF8.self))
            }
            segments.append(segment)
        }
    }

    /// Whether `byte` ends a segment: CR, or a tolerated LF. A run of them is one break, so
    /// blank segments (and leading line feeds) are skipped.
    static func endsSegment(_ byte: UInt8) -> Bool { byte == 0x0D || byte == 0x0A }

    /// The first segment of `bytes` as the parser finds it: leading breaks skipped, up to the
    /// next break.
    static func firstSegment(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        let start = bytes.firstIndex { !endsSegment($0) } ?? bytes.count
        return bytes[start..<(bytes[start...].firstIndex(where: endsSegment) ?? bytes.count)]
    }

    /// The MSH segment.
    public var header: HL7Segment { segments[0] }

    /// MSH-9 message code and trigger event, e.g. (`ORU`, `R01`).
    public var messageType: (code: String, event: String) {
        (header.text(9, component: 1), header.text(9, component: 2))
    }

    /// MSH-10, the message control id the acknowledgement echoes.
    public var controlID: String { header.text(10) }

    /// The first segment with `id`, if any.
    public func first(_ id: String) -> HL7Segment? { segments.first { $0.id == id } }
}

/// Why bytes are not an HL7 v2 message.
public enum HL7ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case noMSH
    case badEncodingCharacters
    case badSegmentID(String)

    public var description: String {
        switch self {
        case .empty: return "empty HL7 message"
        case .noMSH: return "HL7 message does not begin with an MSH segment"
        case .badEncodingCharacters: return "MSH-1/MSH-2 encoding characters are missing, repeated or not printable"
        case let .badSegmentID(s): return "segment '\(s)' does not begin with a three-character segment id"
        }
    }
}
