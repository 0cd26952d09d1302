import Daemon
import Tools
import Sessions
import Transports
import Foundation
import PocGateCore
import Testing
import TestSupport

/// Every log code is documented in docs/OPERATIONS.md, every documented code exists and is
/// used, and every warning, error and critical event in the sources carries a code.
@Suite struct LogCodeCatalogueTests {
    static let root = UmockdevHarness.repositoryRoot

    /// The codes in the catalogue table: rows starting `| PG-…`.
    static func cataloguedCodes() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/OPERATIONS.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            line.wholeMatch(of: /\| (PG-[A-Z]{3}-[0-9]{3}) \|.*/).map { String($0.output.1) }
        }
    }

    /// Every Swift file under Sources/ with its text.
    static func sources() throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return try files.filter { $0.hasSuffix(".swift") }.sorted().map { file in
            (file, try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8))
        }
    }

    @Test func catalogueAndEnumAgree() throws {
        let catalogued = try Self.cataloguedCodes()
        #expect(Set(catalogued).count == catalogued.count, "a code has two catalogue rows")
        let defined = Set(LogCode.allCases.map(\.rawValue))
        #expect(Set(LogCode.allCases.map(\.rawValue)).count == LogCode.allCases.count, "two cases share a code")
        #expect(defined.subtracting(catalogued).isEmpty, "not in docs/OPERATIONS.md: \(defined.subtracting(catalogued).sorted())")
        #expect(Set(catalogued).subtracting(defined).isEmpty,
                "documented but not defined: \(Set(catalogued).subtracting(defined).sorted())")
    }

    @Test func everyCodeIsUsedInTheSources() throws {
        let sources = try Self.sources()
        let definition = try #require(sources.first { $0.path.hasSuffix("PocGateCore/LogCode.swift") }).text
        // `case configRefused = "PG-CFG-001"`: the names the sources refer to.
        let cases = definition.matches(of: /case ([a-zA-Z]+) = "(PG-[A-Z]{3}-[0-9]{3})"/).map { (String($0.output.1), String($0.output.2)) }
        #expect(Set(cases.map(\.1)) == Set(LogCode.allCases.map(\.rawValue)), "LogCode.swift did not parse")
        let text = sources.filter { !$0.path.hasSuffix("LogCode.swift") }.map(\.text).joined()
        let unused = cases.filter { !text.contains("LogCode.\($0.0))") }.map(\.1)
        #expect(unused.isEmpty, "defined but never logged: \(unused)")
    }

    /// A `.warning(`, `.error(` or `.critical(` call on a logger, up to its closing
    /// parenthesis, must mention a `LogCode`.
    @Test func everyWarningAndErrorCarriesACode() throws {
        var missing: [String] = []
        var calls = 0
        for (path, text) in try Self.sources() {
            let chars = Array(text)
            for match in text.matches(of: /\b(?:[lL]ogger|log)\??\.(?:warning|error|critical)\(/) {
                calls += 1
                var depth = 0
                var i = text.distance(from: text.startIndex, to: match.range.upperBound) - 1
                var call = ""
                repeat {
                    if chars[i] == "(" { depth += 1 }
                    if chars[i] == ")" { depth -= 1 }
                    call.append(chars[i])
                    i += 1
                } while depth > 0 && i < chars.count
                // A call passing prepared metadata: the code is set on it just before.
                let before = String(chars[max(0, i - call.count - 300)..<(i - call.count)])
                if !call.contains("LogCode.") && !before.contains("\"code\"] = \"\\(LogCode.") {
                    let line = text[..<match.range.lowerBound].filter { $0 == "\n" }.count + 1
                    missing.append("\(path):\(line)")
                }
            }
        }
        #expect(calls >= 30, "found only \(calls) calls: the scan is broken")
        #expect(missing.isEmpty, "warning/error/critical without a LogCode: \(missing)")
    }
}
