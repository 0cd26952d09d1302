import Foundation
import TestSupport
import Testing

/// Log metadata keys have one style, snake_case (`retry_in_ms`, `id_vendor`), which the journal
/// handler turns into `POCGATE_RETRY_IN_MS`: ops grep one spelling, not three.
@Suite struct LogMetadataKeyStyleTests {
    @Test func everyLogMetadataKeyInTheSourcesIsSnakeCase() throws {
        let root = HTTPSReceiver.repositoryRoot + "/Sources"
        let files = (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".swift") }
        // A metadata entry: a string key, then an interpolated value, `"key": "\(`.
        let entry = try Regex(#""([^"\\ ]+)": "\\\("#)
        var checked = 0
        for file in files {
            let text = try String(contentsOfFile: "\(root)/\(file)", encoding: .utf8)
            for literal in Self.metadataLiterals(text) {
                for match in literal.matches(of: entry) {
                    guard let key = match.output[1].substring else { continue }
                    checked += 1
                    #expect(key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } && key.first?.isLetter == true,
                            "Sources/\(file): metadata key '\(key)' is not snake_case")
                }
            }
        }
        #expect(checked > 100)
    }

    /// The text of every `metadata: [ … ]` and `Logger.Metadata = [ … ]` literal in `text`.
    static func metadataLiterals(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "metadata: [") ?? rest.firstRange(of: "Metadata = [") {
            var depth = 0
            var end = open.upperBound
            var i = text.index(before: open.upperBound)
            while i < text.endIndex {
                if text[i] == "[" { depth += 1 } else if text[i] == "]" { depth -= 1; if depth == 0 { end = i; break } }
                i = text.index(after: i)
            }
            out.append(text[open.lowerBound..<end])
            rest = text[text.index(after: max(end, open.lowerBound))...]
        }
        return out
    }
}
