import DeviceProfiles
import Testing

/// The composer over libyaml's events: the node tree, where each node starts (1-based, as the
/// strict reader's messages have always counted), and what it refuses with a place.
@Suite struct YAMLComposerTests {
    /// One line per node in document order, a mapping's key before its value.
    static func outline(_ node: YAMLNode?, depth: Int = 0) -> [String] {
        guard let node else { return [] }
        let place = "\(node.line):\(node.column)"
        switch node.kind {
        case let .scalar(text): return ["\(depth) scalar \(place) \(text)"]
        case let .sequence(items): return ["\(depth) sequence \(place)"] + items.flatMap { outline($0, depth: depth + 1) }
        case let .mapping(pairs):
            return ["\(depth) mapping \(place)"] + pairs.flatMap { outline($0.key, depth: depth + 1) + outline($0.value, depth: depth + 1) }
        }
    }

    static func refusal(_ text: String) -> YAMLIssue? {
        do { _ = try YAMLComposer.compose(text, file: "t.yaml") } catch { return error }
        return nil
    }

    @Test("block, flow and nested nodes keep their order, text and 1-based line and column")
    func blockFlowAndNestedNodes() throws {
        let text = """
        id: meter
        list:
          - a
          - [b, c]
        map: {k: v, n: 2}
        nested:
          inner:
            - x: 1
        """
        #expect(Self.outline(try YAMLComposer.compose(text, file: "t.yaml")) == [
            "0 mapping 1:1",
            "1 scalar 1:1 id", "1 scalar 1:5 meter",
            "1 scalar 2:1 list", "1 sequence 3:3", "2 scalar 3:5 a", "2 sequence 4:5", "3 scalar 4:6 b", "3 scalar 4:9 c",
            "1 scalar 5:1 map", "1 mapping 5:6", "2 scalar 5:7 k", "2 scalar 5:10 v", "2 scalar 5:13 n", "2 scalar 5:16 2",
            "1 scalar 6:1 nested", "1 mapping 7:3", "2 scalar 7:3 inner", "2 sequence 8:5", "3 mapping 8:7",
            "4 scalar 8:7 x", "4 scalar 8:10 1",
        ])
    }

    @Test("quoted, escaped, tagged and multi-line scalars give their text, not a resolved value")
    func quotedAndMultiLineScalars() throws {
        let text = "a: 'it''s'\nb: \"tab\\there \\u00e9\"\nc: !!str 012\nd: |\n  line one\n  line two\ne: >\n  folded\n  text\nf: 0x1F\ng:\n"
        let node = try #require(try YAMLComposer.compose(text, file: "t.yaml"))
        guard case let .mapping(pairs) = node.kind else { Issue.record("not a mapping"); return }
        #expect(pairs.map { $0.value.scalar } == ["it's", "tab\there é", "012", "line one\nline two\n", "folded text\n", "0x1F", ""])
        #expect(pairs.map { "\($0.value.line):\($0.value.column)" } == ["1:4", "2:4", "3:4", "4:4", "7:4", "10:4", "11:3"])
    }

    @Test("a file with no document (empty, or comments only) has no node; the reader says it is empty")
    func emptyFileHasNoDocument() throws {
        #expect(try YAMLComposer.compose("", file: "t.yaml") == nil)
        #expect(try YAMLComposer.compose("# nothing here\n\n", file: "t.yaml") == nil)
        #expect(throws: YAMLIssue(file: "t.yaml", line: 0, column: 0, message: "the file is empty")) {
            try YAMLMap.parse("# comments only\n", file: "t.yaml")
        }
    }

    @Test("a key written twice is refused at its second place")
    func duplicateKeyIsRefusedWithItsPlace() {
        #expect(throws: YAMLIssue(file: "t.yaml", line: 3, column: 1, message: "key 'a' appears twice; keep one")) {
            try YAMLMap.parse("a: 1\nb: 2\na: 3\n", file: "t.yaml")
        }
    }

    @Test("an alias is refused with its place instead of copying the anchored value",
          arguments: [("a: 1\nb: *x\n", 2, 4), ("a: &x 1\nb: 2\n", 1, 4), ("a: &x [1, 2]\n", 1, 4), ("a: &x {k: v}\n", 1, 4)])
    func aliasesAndAnchorsAreRefusedWithTheirPlace(text: String, line: Int, column: Int) {
        let message = "anchors and aliases (&/*) are not supported in pocgate files; write the value out"
        #expect(Self.refusal(text) == YAMLIssue(file: "t.yaml", line: line, column: column, message: message))
    }

    @Test("a billion-laughs file is refused at its first anchor, without expanding anything")
    func billionLaughsIsRefusedAtTheFirstAnchor() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        let issue = Self.refusal(text)
        #expect(issue?.line == 1 && issue?.column == 5, "\(String(describing: issue))")
    }

    @Test("a second document in one file is refused where it starts")
    func secondDocumentIsRefusedWithItsPlace() {
        #expect(Self.refusal("a: 1\n---\nb: 2\n") == YAMLIssue(file: "t.yaml", line: 2, column: 1,
            message: "a second YAML document ('---') in one file; pocgate reads one document per file"))
        #expect(Self.refusal("---\na: 1\n...\n") == nil)
    }

    @Test("bytes that are not UTF-8 are refused with their line and column")
    func invalidUTF8IsRefusedWithItsPlace() {
        var issue: YAMLIssue?
        do { _ = try YAMLComposer.compose(bytes: Array("id: x\nname: caf".utf8) + [0xC3, 0x28] + Array("\n".utf8), file: "t.yaml") } catch { issue = error }
        // libyaml names the first byte that breaks the sequence: 0x28 after the lead byte 0xC3.
        #expect(issue == YAMLIssue(file: "t.yaml", line: 2, column: 11,
            message: "not valid YAML: invalid trailing UTF-8 octet (byte 0x28); the file must be UTF-8 text"))
    }

    @Test("a NUL byte is refused with its line and column, not cut off or passed on")
    func nulByteIsRefusedWithItsPlace() {
        #expect(Self.refusal("id: x\nname: ab\u{0}cd\n") == YAMLIssue(file: "t.yaml", line: 2, column: 9,
            message: "not valid YAML: control characters are not allowed (byte 0x00); the file must be UTF-8 text"))
    }

    @Test("malformed YAML is refused with libyaml's words at the problem's line and column")
    func malformedYAMLIsRefusedWithItsPlace() {
        #expect(Self.refusal("a: b: c\n") == YAMLIssue(file: "t.yaml", line: 1, column: 5,
            message: "not valid YAML: mapping values are not allowed in this context"))
        #expect(Self.refusal("a: [1, 2\nb: 3\n") == YAMLIssue(file: "t.yaml", line: 2, column: 2,
            message: "not valid YAML: while parsing a flow sequence did not find expected ',' or ']'"))
        #expect(Self.refusal("a: 'open\n") == YAMLIssue(file: "t.yaml", line: 2, column: 1,
            message: "not valid YAML: while scanning a quoted scalar found unexpected end of stream"))
    }

    @Test("nesting past the composer's own depth limit is refused, not a crash (text checks bypassed)")
    func nestingPastTheDepthLimitIsRefused() {
        let depth = YAMLComposer.maximumDepth + 1
        let issue = Self.refusal(String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
        #expect(issue?.line == 1 && issue?.column == depth && issue?.message.contains("nested more than 512 deep") == true,
                "\(String(describing: issue))")
    }
}
