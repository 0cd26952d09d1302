import Daemon
import Tools
import Sessions
import Transports
import Foundation
import TestSupport
import Testing
import Uplink

/// docs/fhir/ publishes a StructureDefinition for every extension pocgate sends, at the URL it
/// sends (default canonical base), each valid FHIR R4 (fhir.resources R4B model).
@Suite("docs/fhir: extension StructureDefinitions")
struct FHIRDefinitionsTests {
    static let directory = UmockdevHarness.repositoryRoot.path + "/docs/fhir"

    static func definition(_ ext: FHIRCanonical.Extension) throws -> [String: Any] {
        let path = directory + "/StructureDefinition-\(ext.rawValue).json"
        let data = try #require(FileManager.default.contents(atPath: path), "\(path) is missing")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("extensions that point nowhere: every extension pocgate sends has a StructureDefinition at its URL")
    func everyExtensionIsPublished() throws {
        let canonical = FHIRCanonical()
        for ext in FHIRCanonical.Extension.allCases {
            let sd = try Self.definition(ext)
            #expect(sd["url"] as? String == canonical.url(ext))
            #expect(sd["type"] as? String == "Extension" && sd["status"] as? String == "active")
            let elements = (sd["differential"] as? [String: Any])?["element"] as? [[String: Any]] ?? []
            #expect(elements.contains { $0["path"] as? String == "Extension.url" && $0["fixedUri"] as? String == canonical.url(ext) })
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".json") }
        #expect(files.count == FHIRCanonical.Extension.allCases.count, "a definition for an extension pocgate no longer sends")
    }

    @Test("every published StructureDefinition is valid FHIR R4, and the validator refuses a broken one",
          .enabled(if: R4BValidator.isAvailable, "needs /usr/bin/python3 with fhir.resources"))
    func definitionsAreValidR4() throws {
        var texts: [[UInt8]] = []
        for ext in FHIRCanonical.Extension.allCases {
            texts.append([UInt8](try #require(FileManager.default.contents(atPath: Self.directory + "/StructureDefinition-\(ext.rawValue).json"))))
        }
        var broken = try Self.definition(.ecgStatementStatus)
        broken["kind"] = nil
        texts.append([UInt8](try JSONSerialization.data(withJSONObject: broken)))
        let problems = try R4BValidator.structureDefinitionProblems(texts)
        #expect(Array(problems.dropLast()) == Array(repeating: nil, count: FHIRCanonical.Extension.allCases.count))
        #expect(problems.last! != nil)
    }
}
