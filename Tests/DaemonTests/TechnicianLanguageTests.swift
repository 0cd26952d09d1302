import Foundation
import TestSupport
import Testing
import Tools

/// What a clinic technician reads from the tools comes in Simplified Chinese when the locale
/// says so; every message id (its English text) has both languages and still exists in the
/// sources, so the catalog cannot rot silently.
@Suite struct TechnicianLanguageTests {
    @Test(arguments: [
        (["LANG": "zh_CN.UTF-8"], TechnicianLanguage.simplifiedChinese),
        (["LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.utf8"], .simplifiedChinese),
        (["LANG": "zh_CN.UTF-8", "LC_ALL": "C"], .english),
        (["LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"], .english),
        (["LANG": "zh_TW.UTF-8"], .english),
        (["LANG": "zh_SG.GB2312"], .simplifiedChinese),
        (["LC_ALL": "", "LANG": "zh_CN"], .simplifiedChinese),
        ([:], .english),
    ])
    func theLocaleVariablesChooseTheLanguageInPOSIXOrder(_ env: [String: String], _ expected: TechnicianLanguage) {
        #expect(TechnicianLanguage.from(environment: env) == expected)
    }

    @Test func everyMessageIdHasBothLanguages() {
        for (english, chinese) in MessageCatalog.simplifiedChinese {
            #expect(!english.isEmpty && !chinese.isEmpty, "\(english)")
            let hasCJK = chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
            #expect(hasCJK || english == chinese || chinese.contains("USB"), "'\(english)' has no Chinese: '\(chinese)'")
        }
        #expect(MessageCatalog.simplifiedChinese.count >= 80)
    }

    /// Each English phrase is a fixed part of a message the tools print, found in the sources
    /// (adjacent string literals joined, as the compiler joins them).
    @Test func everyMessageIdStillExistsInTheSources() throws {
        let root = HTTPSReceiver.repositoryRoot + "/Sources"
        var text = ""
        for dir in ["Tools", "pocgate", "Daemon"] {
            let files = FileManager.default.enumerator(atPath: "\(root)/\(dir)")?.compactMap { $0 as? String } ?? []
            for f in files where f.hasSuffix(".swift") && !f.hasSuffix("MessageCatalog.swift") {
                text += try String(contentsOfFile: "\(root)/\(dir)/\(f)", encoding: .utf8) + "\n"
            }
        }
        let joined = text.replacing(try Regex(#""\s*\+\s*""#), with: "")
        for english in MessageCatalog.simplifiedChinese.keys {
            #expect(joined.contains(english), "catalog phrase no longer in the sources: '\(english)'")
        }
    }

    @Test func aLineIsTranslatedPhraseByPhraseKeepingItsValues() {
        let zh = TechnicianText(.simplifiedChinese)
        #expect(zh("pocgate: needs attention") == "pocgate：需要处理")
        #expect(zh("no profile: closest taidoc-td4277 wants USB 067b:2303, port is 10c4:ea60")
            .hasPrefix("无配置：最接近的是 taidoc-td4277"))
        #expect(zh("pending: 12").hasSuffix(" 12") || zh("pending: 12").hasSuffix("12"))
        #expect(TechnicianText(.english)("pocgate: needs attention") == "pocgate: needs attention")
    }

    @Test func tableColumnsLineUpInTerminalColumnsWhateverTheLanguage() {
        #expect(TechnicianText.displayWidth("设备") == 4)
        #expect(TechnicianText.displayWidth("/dev/ttyUSB0") == 12)
        #expect(TechnicianText.padded("设备", to: 6) == "设备  ")
    }

    /// The real binary, run as a technician with a Chinese locale: `status` on a box whose
    /// daemon never ran says so in Chinese; with `LANG=C` it stays English.
    @Test func statusSpeaksChineseToATechnicianWithAChineseLocale() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pg-zh-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("pocgate.yaml").path
        try "store:\n  path: \(dir.path)/pocgate.db\nuplink:\n  url: https://center.example.org/fhir\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let zh = try Self.pocgate(["status", "--config", config], locale: "zh_CN.UTF-8")
        let en = try Self.pocgate(["status", "--config", config], locale: "C")
        #expect(zh.stdout.contains("守护进程") || zh.stdout.contains("pocgate："), "\(zh.stdout)")
        #expect(!en.stdout.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(en.stdout)")
        #expect(zh.status == en.status, "the language never changes the exit code")
    }

    /// Runs the built `pocgate` with `LANG=locale` (and no other locale variable).
    static func pocgate(_ arguments: [String], locale: String) throws -> (stdout: String, status: Int32) {
        let binary = try #require(BuiltProducts.executable(named: "pocgate"))
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LC_") }
        env["LANG"] = locale
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }
}
