/// One node of a YAML document as pocgate reads it: a text value, a list or a mapping, with the
/// 1-based line and column where it starts. Tags (`!!str`, `!!int`) do not change the text: the
/// strict reader decides what a value means, not the YAML resolver.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Kind: Sendable {
        /// A single value, exactly as written once quotes, escapes and folding are undone.
        case scalar(String)
        /// A list, in document order.
        case sequence([YAMLNode])
        /// A mapping's pairs in document order (duplicate keys are kept; `YAMLMap` refuses them).
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    /// What the node holds.
    public let kind: Kind
    /// 1-based line where the node starts.
    public let line: Int
    /// 1-based column (in characters) where the node starts.
    public let column: Int

    public init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// The text of a scalar; nil for a list or a mapping.
    public var scalar: String? {
        if case let .scalar(text) = kind { return text }
        return nil
    }

    /// A located issue at this node.
    func issue(_ file: String, _ message: String) -> YAMLIssue {
        YAMLIssue(file: file, line: line, column: column, message: message)
    }
}
