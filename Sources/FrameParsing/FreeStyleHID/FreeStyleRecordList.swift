/// A multi-record reply (`$result?`, `$arresult?`): `Log Empty` CRLF, or record lines each
/// ended by CRLF, then `count "," 8HEXDIG` CRLF, the checksum being the sum of the record
/// lines' bytes (newlines included). The records are released only when both match.
public enum FreeStyleRecordList {
    /// One record: its comma-separated fields and its line as received.
    public struct Record: Sendable, Equatable {
        public var fields: [Substring]
        public var line: String
    }

    /// The records of `message` (a checked text reply), in the meter's order.
    public static func parse(_ message: [UInt8]) -> Result<[Record], FreeStyleHIDProblem> {
        if message == Array("Log Empty\r\n".utf8) { return .success([]) }
        let crlf: [UInt8] = [0x0D, 0x0A]
        guard message.count >= 2, Array(message[(message.count - 2)...]) == crlf else { return .failure(.malformedRecords) }
        // The trailer line starts after the last CRLF before the final one (or at 0).
        var trailerStart = 0
        var i = message.count - 3
        while i >= 1 {
            if message[i - 1] == 0x0D && message[i] == 0x0A { trailerStart = i + 1; break }
            i -= 1
        }
        let trailer = message[trailerStart..<(message.count - 2)]
        guard let comma = trailer.firstIndex(of: UInt8(ascii: ",")),
              let count = Int(String(decoding: trailer[trailer.startIndex..<comma], as: UTF8.self)),
              trailer.endIndex - comma - 1 == 8,
              let carried = Hex.value(of: trailer[(comma + 1)...]) else {
            return .failure(.malformedRecords)
        }
        let body = message[0..<trailerStart]
        let sum = body.reduce(UInt64(0)) { $0 + UInt64($1) }
        guard sum == carried else { return .failure(.badChecksum(expected: sum, carried: carried)) }
        let text = String(decoding: body, as: UTF8.self)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: true)
        guard lines.count == count else { return .failure(.countMismatch(trailer: count, received: lines.count)) }
        return .success(lines.map { Record(fields: $0.split(separator: ",", omittingEmptySubsequences: false), line: String($0)) })
    }
}
