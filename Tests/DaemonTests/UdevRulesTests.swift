import DeviceProfiles
import Foundation
import Testing
import TestSupport

/// `udev/70-pocgate.rules` stays in step with the profiles and parses line by line.
@Suite struct UdevRulesTests {
    static let rulesPath = UmockdevHarness.repositoryRoot.appendingPathComponent("udev/70-pocgate.rules").path

    /// The rule lines: not blank, not comments.
    static func ruleLines() throws -> [(number: Int, text: String)] {
        let text = try String(contentsOfFile: rulesPath, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (index + 1, trimmed)
        }
    }

    /// Splits a rule line at the commas between `KEY op "value"` pairs (commas inside quotes
    /// belong to the value).
    static func pairs(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        for c in line {
            if c == "\"" { quoted.toggle() }
            if c == ",", !quoted {
                out.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current.trimmingCharacters(in: .whitespaces))
        return out
    }

    @Test func everyProfileUSBIdHasARule() throws {
        let directory = UmockdevHarness.repositoryRoot.appendingPathComponent("DeviceProfiles").path
        let files = ProfileCatalog.profileFiles(in: directory).filter { $0.hasSuffix("/profile.yaml") }
        let (catalog, issues) = ProfileCatalog.load(directories: [directory])
        #expect(issues.isEmpty, "\(issues)")
        #expect(!files.isEmpty && catalog.profiles.count >= files.count)
        let rules = try Self.ruleLines().map(\.text)
        for profile in catalog.profiles {
            for usb in profile.match.usb {
                let vendor = String(format: "%04x", usb.vendorID), product = String(format: "%04x", usb.productID)
                let rule = rules.first {
                    $0.contains("ATTRS{idVendor}==\"\(vendor)\"") && $0.contains("ATTRS{idProduct}==\"\(product)\"")
                }
                #expect(rule != nil, "\(profile.sourceFile): no rule for \(vendor):\(product) in udev/70-pocgate.rules")
                guard let rule else { continue }
                #expect(rule.contains("GROUP=\"pocgate\""), "\(vendor):\(product) does not go to group pocgate")
                #expect(rule.contains("MODE=\"0660\""), "\(vendor):\(product) is not mode 0660")
                #expect(rule.contains("TAG+=\"systemd\""), "\(vendor):\(product) has no TAG+=\"systemd\"")
            }
        }
    }

    @Test func everyLineIsCommaSeparatedKeyOperatorValuePairs() throws {
        let pair = /[A-Z_]+(\{[A-Za-z0-9_.\-]+\})?(==|!=|=|\+=|-=|:=)"[^"]*"/
        let lines = try Self.ruleLines()
        #expect(!lines.isEmpty)
        var labels: Set<String> = []
        var gotos: Set<String> = []
        for (number, line) in lines {
            for p in Self.pairs(line) {
                #expect(p.wholeMatch(of: pair) != nil, "70-pocgate.rules:\(number): '\(p)' is not KEY==\"value\", KEY=\"value\" or KEY+=\"value\"")
                if let m = p.wholeMatch(of: /LABEL="([^"]+)"/) { labels.insert(String(m.output.1)) }
                if let m = p.wholeMatch(of: /GOTO="([^"]+)"/) { gotos.insert(String(m.output.1)) }
            }
            // A rule that assigns must also match something, or it applies to every device.
            let keys = Self.pairs(line)
            let matches = keys.contains { $0.contains("==") || $0.contains("!=") }
            #expect(matches || keys.allSatisfy { $0.hasPrefix("LABEL=") }, "70-pocgate.rules:\(number) matches nothing")
        }
        #expect(gotos.isSubset(of: labels), "GOTO without LABEL: \(gotos.subtracting(labels))")
    }

    @Test func theParserCatchesBrokenLines() {
        let pair = /[A-Z_]+(\{[A-Za-z0-9_.\-]+\})?(==|!=|=|\+=|-=|:=)"[^"]*"/
        #expect(Self.pairs(#"ATTRS{idVendor}=="067b", GROUP="a,b""#) == [#"ATTRS{idVendor}=="067b""#, #"GROUP="a,b""#])
        for broken in [#"ATTRS{idVendor}=="067b"#, #"ATTRS{idVendor}==067b"#, #"attrs{idVendor}=="067b""#, #"GROUP=="x" MODE="1""#] {
            #expect(broken.wholeMatch(of: pair) == nil, "\(broken)")
        }
    }
}
