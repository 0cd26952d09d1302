import PocGateCore
import Daemon
import Tools
import Transports
import Sessions
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
        let (catalog, issues) = ProfileCatalog.load(directories: [directory], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        #expect(!files.isEmpty && catalog.profiles.count >= files.count)
        let rules = try Self.ruleLines().map(\.text)
        for profile in catalog.profiles {
            // A HID profile's id is granted on hidraw nodes, a tty profile's on ttys.
            let hidraw = profile.transport.opens == .hidraw
            for usb in profile.match.usb {
                let vendor = String(format: "%04x", usb.vendorID), product = String(format: "%04x", usb.productID)
                let rule = rules.first {
                    $0.contains("ATTRS{idVendor}==\"\(vendor)\"") && $0.contains("ATTRS{idProduct}==\"\(product)\"")
                        && $0.contains("SUBSYSTEM==\"hidraw\"") == hidraw
                }
                #expect(rule != nil, "\(profile.sourceFile): no \(hidraw ? "hidraw" : "tty") rule for \(vendor):\(product) in udev/70-pocgate.rules")
                guard let rule else { continue }
                #expect(rule.contains("GROUP=\"pocgate\""), "\(vendor):\(product) does not go to group pocgate")
                #expect(rule.contains("MODE=\"0660\""), "\(vendor):\(product) is not mode 0660")
                #expect(rule.contains("TAG+=\"systemd\""), "\(vendor):\(product) has no TAG+=\"systemd\"")
            }
        }
    }

    /// Risk: the pocgate group given every HID device (keyboards, security keys). A hidraw rule
    /// grants only an id that a shipped profile with transport `hid` or `cp2110` matches, and
    /// it sits before the tty-only section so it is reached at all.
    @Test func hidrawRulesGrantOnlyShippedHIDProfileIds() throws {
        let directory = UmockdevHarness.repositoryRoot.appendingPathComponent("DeviceProfiles").path
        let (catalog, _) = ProfileCatalog.load(directories: [directory], families: .builtIn)
        var shipped: Set<String> = []
        for profile in catalog.profiles where profile.transport.opens == .hidraw {
            for usb in profile.match.usb { shipped.insert(String(format: "%04x:%04x", usb.vendorID, usb.productID)) }
        }
        #expect(!shipped.isEmpty, "a shipped HID profile is expected (taidoc/glucorx-nexus-cp2110)")
        let lines = try Self.ruleLines()
        let ttyOnly = try #require(lines.first { $0.text.hasPrefix("SUBSYSTEM!=\"tty\"") }?.number)
        let hidraw = lines.filter { $0.text.contains("SUBSYSTEM==\"hidraw\"") }
        #expect(!hidraw.isEmpty)
        for (number, rule) in hidraw {
            let vendor = try #require(rule.firstMatch(of: /ATTRS\{idVendor\}=="([0-9a-f]{4})"/)?.output.1, "70-pocgate.rules:\(number) has no vendor id")
            let product = try #require(rule.firstMatch(of: /ATTRS\{idProduct\}=="([0-9a-f]{4})"/)?.output.1, "70-pocgate.rules:\(number) has no product id")
            #expect(shipped.contains("\(vendor):\(product)"), "70-pocgate.rules:\(number) grants \(vendor):\(product), which no HID profile uses")
            #expect(number < ttyOnly, "70-pocgate.rules:\(number) comes after the tty-only line and never applies")
            #expect(rule.contains("GROUP=\"pocgate\"") && rule.contains("MODE=\"0660\""), "70-pocgate.rules:\(number)")
        }
    }

    /// Each USB rule names the port for its stable link: the profile when only one shipped
    /// profile uses the id, otherwise the bridge chip; both link rules (serial, port path) exist.
    @Test func everyUSBRuleNamesItsStableLink() throws {
        let directory = UmockdevHarness.repositoryRoot.appendingPathComponent("DeviceProfiles").path
        let (catalog, _) = ProfileCatalog.load(directories: [directory], families: .builtIn)
        let rules = try Self.ruleLines().map(\.text)
        var users: [String: Set<String>] = [:]
        for profile in catalog.profiles {
            for usb in profile.match.usb {
                users[String(format: "%04x:%04x", usb.vendorID, usb.productID), default: []].insert(profile.id)
            }
        }
        for (id, profiles) in users {
            let parts = id.split(separator: ":")
            let rule = try #require(rules.first { $0.contains("ATTRS{idVendor}==\"\(parts[0])\"") && $0.contains("ATTRS{idProduct}==\"\(parts[1])\"") })
            let name = try #require(rule.firstMatch(of: /ENV\{POCGATE_NAME\}="([a-z0-9-]+)"/)?.output.1, "\(id) sets no POCGATE_NAME")
            if profiles.count == 1 {
                #expect(String(name) == profiles.first, "\(id) is used only by \(profiles.first!): its link should name the profile")
            } else {
                #expect(!profiles.contains(String(name)), "\(id) is shared by \(profiles.sorted()): the link must name the bridge, not one profile")
            }
        }
        #expect(rules.contains { $0.contains("ENV{ID_SERIAL_SHORT}==\"?*\"") && $0.contains("SYMLINK+=\"pocgate/$env{POCGATE_NAME}-$env{ID_SERIAL_SHORT}\"") })
        #expect(rules.contains { $0.contains("ENV{ID_SERIAL_SHORT}!=\"?*\"") && $0.contains("SYMLINK+=\"pocgate/$env{POCGATE_NAME}-port-$env{ID_PATH_TAG}\"") })
    }

    /// When a shipped profile matches Bluetooth, RFCOMM ttys get the group, mode and a link.
    @Test func bluetoothProfilesHaveTheRFCOMMRule() throws {
        let directory = UmockdevHarness.repositoryRoot.appendingPathComponent("DeviceProfiles").path
        let (catalog, _) = ProfileCatalog.load(directories: [directory], families: .builtIn)
        let bluetooth = catalog.profiles.filter { !$0.match.bluetooth.isEmpty }
        #expect(!bluetooth.isEmpty, "a shipped Bluetooth profile is expected (generic/spp-bp-monitor)")
        let rules = try Self.ruleLines().map(\.text)
        let access = rules.first { $0.hasPrefix("KERNEL==\"rfcomm[0-9]*\"") && $0.contains("GROUP=") }
        #expect(access?.contains("GROUP=\"pocgate\"") == true && access?.contains("MODE=\"0660\"") == true
                && access?.contains("TAG+=\"systemd\"") == true, "\(access ?? "no rfcomm rule")")
        #expect(rules.contains { $0.hasPrefix("KERNEL==\"rfcomm[0-9]*\"") && $0.contains("SYMLINK+=\"pocgate/bt-$attr{address}\"") })
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
