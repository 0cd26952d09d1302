/// A strict reader over one YAML mapping: typed getters that name the key, file, line and
/// column when a value is wrong, and `finish()` that refuses keys nobody asked for.
public final class YAMLMap {
    let file: String
    /// Dotted path of this mapping, e.g. `uplink` (empty at the top).
    public let path: String
    private let entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]
    private let line: Int
    private let column: Int
    private var used: Set<String> = []

    init(node: YAMLNode, file: String, path: String) throws(YAMLIssue) {
        self.file = file
        self.path = path
        self.line = node.line
        self.column = node.column
        guard case let .mapping(mapping) = node.kind else {
            throw node.issue(file, "\(path.isEmpty ? "the document" : "'\(path)'") must be a mapping of keys to values")
        }
        var entries: [(String, YAMLNode, YAMLNode)] = []
        var seen: Set<String> = []
        for (k, v) in mapping {
            guard let key = k.scalar else {
                throw k.issue(file, "keys must be plain text")
            }
            if !seen.insert(key).inserted {
                throw k.issue(file, "key '\(Self.join(path, key))' appears twice; keep one")
            }
            entries.append((key, k, v))
        }
        self.entries = entries
    }

    /// Parses `text` and returns its top-level mapping.
    public static func parse(_ text: String, file: String) throws(YAMLIssue) -> YAMLMap {
        try checkNesting(text, file: file)
        guard let node = try YAMLComposer.compose(text, file: file) else {
            throw YAMLIssue(file: file, line: 0, column: 0, message: "the file is empty")
        }
        return try YAMLMap(node: node, file: file, path: "")
    }

    /// `path.key`, each key cut for messages (`ProfileLimits.quoted`).
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? ProfileLimits.quoted(key) : "\(path).\(ProfileLimits.quoted(key))"
    }

    private func entry(_ key: String) -> (key: String, keyNode: YAMLNode, value: YAMLNode)? {
        used.insert(key)
        return entries.first { $0.key == key }
    }

    /// An issue located at `key`'s value (or at this mapping when the key is absent).
    public func issue(_ key: String, _ message: String) -> YAMLIssue {
        let node = entries.first { $0.key == key }?.value
        return YAMLIssue(file: file, line: node?.line ?? line, column: node?.column ?? column, message: message)
    }

    /// Whether the key is present.
    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// A text value; nil when absent and not required.
    public func string(_ key: String, required: Bool = false) throws(YAMLIssue) -> String? {
        guard let e = entry(key) else {
            if required { throw issue(key, "missing required key '\(Self.join(path, key))'") }
            return nil
        }
        guard let s = e.value.scalar, !s.isEmpty else {
            throw issue(key, "'\(Self.join(path, key))' must be a non-empty text value")
        }
        return s
    }

    /// An integer value (decimal or 0x-hex) within `range`.
    public func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) throws(YAMLIssue) -> Int? {
        guard let text = try string(key, required: required) else { return nil }
        let value = text.lowercased().hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let v = value, range.contains(v) else {
            throw issue(key, "'\(Self.join(path, key))' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(ProfileLimits.quoted(text))'")
        }
        return v
    }

    /// A boolean (`true`/`false`).
    public func bool(_ key: String) throws(YAMLIssue) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw issue(key, "'\(Self.join(path, key))' must be true or false, not '\(ProfileLimits.quoted(text))'")
        }
    }

    /// One of a fixed set of words.
    public func choice(_ key: String, from options: [String]) throws(YAMLIssue) -> String? {
        guard let text = try string(key) else { return nil }
        guard options.contains(text) else {
            throw issue(key, "'\(Self.join(path, key))' must be one of \(options.joined(separator: ", ")), not '\(ProfileLimits.quoted(text))'")
        }
        return text
    }

    /// A nested mapping.
    public func map(_ key: String, required: Bool = false) throws(YAMLIssue) -> YAMLMap? {
        guard let e = entry(key) else {
            if required { throw issue(key, "missing required section '\(Self.join(path, key))'") }
            return nil
        }
        return try YAMLMap(node: e.value, file: file, path: Self.join(path, key))
    }

    /// A list of text values.
    public func strings(_ key: String, required: Bool = false) throws(YAMLIssue) -> [String]? {
        guard let e = entry(key) else {
            if required { throw issue(key, "missing required key '\(Self.join(path, key))'") }
            return nil
        }
        guard case let .sequence(seq) = e.value.kind else {
            throw issue(key, "'\(Self.join(path, key))' must be a list, e.g. [a, b]")
        }
        var out: [String] = []
        for item in seq {
            guard let s = item.scalar, !s.isEmpty else {
                throw item.issue(file, "items of '\(Self.join(path, key))' must be text values")
            }
            out.append(s)
        }
        return out
    }

    /// A list of mappings.
    public func maps(_ key: String) throws(YAMLIssue) -> [YAMLMap]? {
        guard let e = entry(key) else { return nil }
        guard case let .sequence(seq) = e.value.kind else {
            throw issue(key, "'\(Self.join(path, key))' must be a list of mappings")
        }
        var out: [YAMLMap] = []
        for (i, item) in seq.enumerated() {
            out.append(try YAMLMap(node: item, file: file, path: "\(Self.join(path, key))[\(i)]"))
        }
        return out
    }

    /// The keys in document order (for mappings whose keys are names: records, fields, values).
    public var keys: [String] { entries.map(\.key) }

    /// Whether the key's value is a mapping (rather than a single value or a list).
    public func isMapping(_ key: String) -> Bool {
        guard let e = entries.first(where: { $0.key == key }), case .mapping = e.value.kind else { return false }
        return true
    }

    /// Whether the key's value is a list.
    public func isList(_ key: String) -> Bool {
        guard let e = entries.first(where: { $0.key == key }), case .sequence = e.value.kind else { return false }
        return true
    }

    /// An issue located at `key` itself (not its value): for a name that is wrong.
    public func keyIssue(_ key: String, _ message: String) -> YAMLIssue {
        let node = entries.first { $0.key == key }?.keyNode
        return YAMLIssue(file: file, line: node?.line ?? line, column: node?.column ?? column, message: message)
    }

    /// A list of plain values with where each one is, for messages about one item.
    public func located(_ key: String) throws(YAMLIssue) -> [(text: String, issue: (String) -> YAMLIssue)]? {
        guard let e = entry(key) else { return nil }
        let items: [YAMLNode]
        if case let .sequence(seq) = e.value.kind { items = seq } else { items = [e.value] }
        var out: [(String, (String) -> YAMLIssue)] = []
        for item in items {
            guard let s = item.scalar, !s.isEmpty else {
                throw item.issue(file, "items of '\(Self.join(path, key))' must be plain values")
            }
            let file = self.file, line = item.line, column = item.column
            out.append((s, { YAMLIssue(file: file, line: line, column: column, message: $0) }))
        }
        return out
    }

    /// Refuses any key that no getter asked for, naming it and the keys that are allowed.
    public func finish() throws(YAMLIssue) {
        for e in entries where !used.contains(e.key) {
            let allowed = used.sorted().joined(separator: ", ")
            throw e.keyNode.issue(file, "unknown key '\(Self.join(path, e.key))'" + (allowed.isEmpty ? "" : "; allowed here: \(allowed)"))
        }
    }
}

extension YAMLMap {
    /// The deepest `[`/`{` nesting and the widest run of leading indentation and list markers a
    /// file may have. A recursive YAML composer once crashed the daemon (stack overflow) on
    /// 65,000 nested `[` in a file dropped into a watched profile directory; `YAMLComposer` is
    /// iterative, but a node tree is still freed one level per call, and these text limits refuse
    /// such a file with its place before libyaml sees it. Profiles and the configuration nest a
    /// handful of levels.
    public static let maximumFlowDepth = 64
    /// See `maximumFlowDepth`.
    public static let maximumLeadingColumns = 256

    /// Refuses text nested deeper than the limits, with the place, before the YAML reader sees
    /// it. Brackets inside quotes and comments do not count.
    public static func checkNesting(_ text: String, file: String) throws(YAMLIssue) {
        var line = 1, column = 0, depth = 0
        var atLineStart = true, inComment = false
        var quote: UInt8? = nil
        var previous = UInt8(ascii: " ")
        // A quote or a comment starts only where YAML lets one start: after a blank or an
        // indicator, so "it's" or "a#b" cannot hide brackets from this count.
        let starters: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ":"), UInt8(ascii: "["),
                                    UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: "-")]
        for byte in text.utf8 {
            defer { previous = byte }
            column += 1
            if byte == UInt8(ascii: "\n") {
                line += 1; column = 0; atLineStart = true; inComment = false
                continue
            }
            if atLineStart {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                    if column > maximumLeadingColumns {
                        throw YAMLIssue(file: file, line: line, column: column, message: "the line starts with more than "
                                        + "\(maximumLeadingColumns) columns of indentation or list markers; nothing pocgate reads nests that deep")
                    }
                    continue
                default:
                    atLineStart = false
                    previous = UInt8(ascii: " ")
                }
            }
            if inComment { continue }
            if let q = quote {
                if byte == q { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "#") where starters.contains(previous): inComment = true
            case UInt8(ascii: "'") where starters.contains(previous), UInt8(ascii: "\"") where starters.contains(previous):
                quote = byte
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumFlowDepth {
                    throw YAMLIssue(file: file, line: line, column: column, message: "'[' or '{' nested more than "
                                    + "\(maximumFlowDepth) deep; nothing pocgate reads nests that deep")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
        }
    }
}
