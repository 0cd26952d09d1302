import DeviceProfiles
import Foundation
import TestSupport
import Testing

/// Every shipped profile and example configuration, composed by `YAMLComposer` and by PyYAML's
/// pure-Python composer (Tests/Harness/yaml_tree.py, Debian's python3-yaml): the same nodes, kinds,
/// texts, lines and columns. PyYAML shares no code with libyaml, so an event the composer puts in
/// the wrong place or a mark it shifts shows up here.
@Suite struct YAMLComposerAgreementTests {
    static let root = HTTPSReceiver.repositoryRoot

    /// The shipped YAML files: every profile under DeviceProfiles/ and the example configuration.
    static func shippedFiles() throws -> [String] {
        var out: [String] = []
        let profiles = root + "/DeviceProfiles"
        let walker = try #require(FileManager.default.enumerator(atPath: profiles))
        for case let path as String in walker where path.hasSuffix(".yaml") { out.append(profiles + "/" + path) }
        out.append(root + "/docs/pocgate.example.yaml")
        return out.sorted()
    }

    /// The outline yaml_tree.py prints: depth, kind, line:column, a scalar's UTF-8 in hex.
    static func outline(_ node: YAMLNode, depth: Int, into out: inout [String]) {
        let head = "\(depth) %@ \(node.line):\(node.column)"
        switch node.kind {
        case let .scalar(text):
            out.append(head.replacingOccurrences(of: "%@", with: "scalar") + " " + text.utf8.map { String(format: "%02x", $0) }.joined())
        case let .sequence(items):
            out.append(head.replacingOccurrences(of: "%@", with: "sequence"))
            for item in items { outline(item, depth: depth + 1, into: &out) }
        case let .mapping(pairs):
            out.append(head.replacingOccurrences(of: "%@", with: "mapping"))
            for pair in pairs {
                outline(pair.key, depth: depth + 1, into: &out)
                outline(pair.value, depth: depth + 1, into: &out)
            }
        }
    }

    @Test("the composer's node tree of every shipped YAML file is PyYAML's, node for node",
          .enabled(if: PythonCheck.has("yaml"), "apt-get install python3-yaml (scripts/install-deps)"))
    func shippedFilesComposeAsPyYAMLComposesThem() throws {
        let files = try Self.shippedFiles()
        #expect(files.count > 30, "\(files.count) files")
        let runner = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
        let (status, output) = try PythonCheck.run(script: runner, arguments: [Self.root + "/Tests/Harness/yaml_tree.py"] + files)
        try #require(status == 0, "\(output)")
        var ours: [String] = []
        for file in files {
            ours.append("== \(file)")
            let bytes = try #require(FileManager.default.contents(atPath: file))
            if let node = try YAMLComposer.compose(bytes: Array(bytes), file: file) { Self.outline(node, depth: 0, into: &ours) }
        }
        let theirs = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        #expect(ours.count == theirs.count)
        var file = ""
        for (a, b) in zip(ours, theirs) {
            if a.hasPrefix("== ") { file = a }
            if a != b {
                Issue.record("\(file): composer '\(a)', PyYAML '\(b)'")
                return
            }
        }
    }
}
