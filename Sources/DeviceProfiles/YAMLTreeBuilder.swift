internal import CYAML

/// Turns libyaml's events into one `YAMLNode` tree with an explicit stack of open lists and
/// mappings, so nesting costs heap, not call stack. Marks are libyaml's plus one (1-based).
struct YAMLTreeBuilder {
    /// A list or mapping whose end has not come yet; a mapping's nodes alternate key, value.
    private struct Open {
        let isMapping: Bool
        let line: Int
        let column: Int
        var nodes: [YAMLNode] = []
    }

    let file: String
    let maximumDepth: Int
    private var open: [Open] = []
    private var documents = 0
    /// The document's root once it is complete; nil when the stream held no document.
    private(set) var root: YAMLNode?
    /// Whether the stream has ended.
    private(set) var finished = false

    init(file: String, maximumDepth: Int) {
        self.file = file
        self.maximumDepth = maximumDepth
    }

    /// Takes one event (which the caller deletes afterwards).
    mutating func add(_ event: yaml_event_t) throws(YAMLIssue) {
        let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_STREAM_END_EVENT:
            finished = true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLIssue(file: file, line: line, column: column,
                                message: "a second YAML document ('---') in one file; pocgate reads one document per file")
            }
        case YAML_ALIAS_EVENT:
            throw Self.anchorIssue(file: file, line: line, column: column)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            if scalar.anchor != nil { throw Self.anchorIssue(file: file, line: line, column: column) }
            let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self) } ?? ""
            close(YAMLNode(.scalar(text), line: line, column: column))
        case YAML_SEQUENCE_START_EVENT:
            if event.data.sequence_start.anchor != nil { throw Self.anchorIssue(file: file, line: line, column: column) }
            try push(Open(isMapping: false, line: line, column: column))
        case YAML_MAPPING_START_EVENT:
            if event.data.mapping_start.anchor != nil { throw Self.anchorIssue(file: file, line: line, column: column) }
            try push(Open(isMapping: true, line: line, column: column))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let last = open.popLast() else { break }
            if last.isMapping {
                let pairs = stride(from: 0, to: last.nodes.count - 1, by: 2).map { (key: last.nodes[$0], value: last.nodes[$0 + 1]) }
                close(YAMLNode(.mapping(pairs), line: last.line, column: last.column))
            } else {
                close(YAMLNode(.sequence(last.nodes), line: last.line, column: last.column))
            }
        default:
            break  // stream start, document end, no event
        }
    }

    private mutating func push(_ container: Open) throws(YAMLIssue) {
        guard open.count < maximumDepth else {
            throw YAMLIssue(file: file, line: container.line, column: container.column,
                            message: "lists and mappings nested more than \(maximumDepth) deep; nothing pocgate reads nests that deep")
        }
        open.append(container)
    }

    /// Puts a complete node into the list or mapping that holds it, or makes it the root.
    private mutating func close(_ node: YAMLNode) {
        if open.isEmpty {
            root = node
        } else {
            open[open.count - 1].nodes.append(node)
        }
    }

    static func anchorIssue(file: String, line: Int, column: Int) -> YAMLIssue {
        YAMLIssue(file: file, line: line, column: column,
                  message: "anchors and aliases (&/*) are not supported in pocgate files; write the value out")
    }
}
