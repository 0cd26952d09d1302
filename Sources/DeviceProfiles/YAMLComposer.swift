internal import CYAML

/// Builds the `YAMLNode` tree of one YAML document from libyaml's event parser, iteratively (no
/// recursion per nesting level) and in time linear in the input. It refuses what pocgate's files
/// never need and what makes a small file expensive: anchors and aliases, a second document,
/// nesting deeper than `maximumDepth`.
public enum YAMLComposer {
    /// The deepest nesting of lists and mappings a document may have (the text limits of
    /// `YAMLMap.checkNesting` stop real files long before this).
    public static let maximumDepth = 512

    /// The document in `text`, or nil when the file holds no document (empty, or comments only).
    public static func compose(_ text: String, file: String) throws(YAMLIssue) -> YAMLNode? {
        try compose(bytes: Array(text.utf8), file: file)
    }

    /// The document in `bytes` (UTF-8), or nil when they hold no document. Bytes that are not
    /// UTF-8, and control characters such as NUL, are refused with their place.
    public static func compose(bytes: [UInt8], file: String) throws(YAMLIssue) -> YAMLNode? {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer {
            event.deallocate()
            parser.deallocate()
        }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLIssue(file: file, line: 0, column: 0, message: "not valid YAML: out of memory")
        }
        defer { yaml_parser_delete(parser) }
        let result: Result<YAMLNode?, YAMLIssue> = bytes.withUnsafeBufferPointer { buffer in
            // libyaml reads from this pointer until the stream ends; the buffer outlives the parse.
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var builder = YAMLTreeBuilder(file: file, maximumDepth: maximumDepth)
            do throws(YAMLIssue) {
                while !builder.finished {
                    guard yaml_parser_parse(parser, event) == 1 else {
                        throw issue(from: parser.pointee, bytes: buffer, file: file)
                    }
                    defer { yaml_event_delete(event) }
                    try builder.add(event.pointee)
                }
                return .success(builder.root)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// libyaml's error as a located issue: scanner and parser errors at their problem mark
    /// (libyaml counts from 0), reader errors (bad UTF-8, control characters) at their byte.
    static func issue(from parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, file: String) -> YAMLIssue {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            let offset = min(Int(parser.problem_offset), bytes.count)
            var line = 1, column = 1
            for byte in bytes[..<offset] {
                if byte == UInt8(ascii: "\n") {
                    line += 1; column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            let value = parser.problem_value == -1 ? "" : " (byte \(hex(parser.problem_value)))"
            return YAMLIssue(file: file, line: line, column: column,
                             message: "not valid YAML: \(ProfileLimits.quoted(problem, limit: 400))\(value); the file must be UTF-8 text")
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            let what = [parser.context.map { String(cString: $0) }, problem].compactMap { $0 }.joined(separator: " ")
            return YAMLIssue(file: file, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
                             message: "not valid YAML: \(ProfileLimits.quoted(what, limit: 400))")
        default:
            return YAMLIssue(file: file, line: 0, column: 0, message: "not valid YAML: \(ProfileLimits.quoted(problem, limit: 400))")
        }
    }

    private static func hex(_ value: Int32) -> String {
        let digits = String(UInt32(bitPattern: value), radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 2 - digits.count)) + digits
    }
}
