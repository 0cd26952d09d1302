import Tools
import Sessions
import Transports
@testable import Daemon
import DeviceProfiles
import Foundation
import Logging
import Testing
import TestSupport

/// What devices and profiles say reaches logs and terminals as data: no control character
/// (NUL, CR, ESC) written raw by either log backend or by the profile tools; and `profile
/// validate` says which copy of a duplicated profile id the daemon keeps.
@Suite struct HostileTextOutputTests {
    static let hostile = "SN\r42\u{1B}[31m\u{0}tail"

    static func hasRawControl(_ s: String) -> Bool { s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }

    @Test func F13_stderrLineEscapesCarriageReturnEscapeAndNul() {
        let line = StderrLogHandler.line(level: .warning, message: "serial \(Self.hostile)", fields: ["serial": .string(Self.hostile)])
        #expect(!Self.hasRawControl(String(line.dropLast())))
        #expect(line.contains("SN\\r42\\x1B[31m\\x00tail"))
        #expect(line.hasSuffix("\n"))
    }

    @Test func F13_journalValuesEscapeCarriageReturnEscapeAndNul() throws {
        let receiver = try DatagramReceiver()
        let journal = try JournalSocket(path: receiver.address)
        let logger = Logger(label: "pocgate") { label in JournalLogHandler(label: label, level: .debug, journal: journal) }
        logger.warning("serial \(Self.hostile)", metadata: ["serial": .string(Self.hostile)])
        receiver.wait(timeout: 5) { !$0.isEmpty }
        let entry = JournalFields(try #require(receiver.datagrams.first))
        #expect(entry["MESSAGE"] == "serial SN\\r42\\x1B[31m\\x00tail")
        #expect(entry["POCGATE_SERIAL"] == "SN\\r42\\x1B[31m\\x00tail")
    }

    @Test func logValuesAreBounded() {
        let line = StderrLogHandler.line(level: .info, message: String(repeating: "x", count: StderrLogHandler.maximumValueBytes + 10), fields: [:])
        #expect(line.utf8.count < StderrLogHandler.maximumValueBytes + 64)
        #expect(line.contains("…(10 more bytes cut)"))
    }

    static func tempDirectory(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static var kioskProfile: String { repo + "/DeviceProfiles/generic/hl7-health-kiosk/profile.yaml" }

    @Test func F23_profileToolsWriteAProfilesControlCharactersEscaped() throws {
        let dir = try Self.tempDirectory("f23")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try String(contentsOfFile: Self.kioskProfile, encoding: .utf8)
            .replacingOccurrences(of: "\nversion: 1\n", with: "\nversion: \"\\e[31m\\0red\"\n")
        try text.write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let report = ProfileValidation.run(files: [dir + "/bad.yaml"], directories: [dir + "/none"])
        #expect(report.errorCount >= 1)
        #expect(report.lines.contains { $0.contains("not '\\x1B[31m\\x00red'") })
        #expect(report.lines.allSatisfy { !Self.hasRawControl($0) })
        let listing = ProfileListing.lines(directories: [dir])
        #expect(listing.allSatisfy { !Self.hasRawControl($0.replacingOccurrences(of: "\t", with: " ")) })  // tabs separate cells
    }

    @Test func F22_validateSaysWhichCopyOfAProfileIdWins() throws {
        let root = try Self.tempDirectory("f22")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let local = root + "/etc", shipped = root + "/usr"
        for d in [local, shipped] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        let text = try String(contentsOfFile: Self.kioskProfile, encoding: .utf8)
        try text.write(toFile: local + "/kiosk.yaml", atomically: true, encoding: .utf8)
        try text.write(toFile: shipped + "/kiosk.yaml", atomically: true, encoding: .utf8)
        let wins = ProfileValidation.run(files: [local + "/kiosk.yaml"], directories: [local, shipped])
        let w = try #require(wins.lines.first { $0.contains("is also defined in") })
        #expect(w.contains("warning: profile id 'generic-hl7-health-kiosk' is also defined in \(shipped)/kiosk.yaml; this file wins and the other copies are ignored"))
        #expect(w.contains("the daemon loads \(local), \(shipped) in that order"))
        let loses = ProfileValidation.run(files: [local + "/kiosk.yaml"], directories: [shipped, local])
        #expect(loses.lines.contains { $0.contains("\(shipped)/kiosk.yaml wins and this file is ignored") })
        let outside = ProfileValidation.run(files: [Self.kioskProfile], directories: [shipped])
        #expect(outside.lines.contains { $0.contains("is already defined in \(shipped)/kiosk.yaml, which the daemon loads; this file is not in those directories") })
    }
}
