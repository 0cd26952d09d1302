import Foundation
@testable import PocGateCore
import Testing

/// The zoneinfo reader against Python's `zoneinfo` (CPython's own TZif reader and POSIX-rule
/// code, over the same files of Debian's tzdata): every offset at instants from 1900 to 2100,
/// transitions recorded in the files and the footer rules past 2037 alike.
@Suite struct ZoneInfoTests {
    static let zones = [
        "Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York",
        "America/Sao_Paulo", "America/St_Johns", "Europe/Berlin", "Europe/London", "Europe/Dublin", "Africa/Casablanca",
        "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham", "America/Santiago", "UTC", "PRC",
    ]
    /// From 1900-01-01 to 2100-01-01 in steps of 29 h 30 min 1 s: every offset period of a
    /// few days or more is visited, at every time of day.
    static let first: Int64 = -2_208_988_800, last: Int64 = 4_102_444_800, step: Int64 = 29 * 3600 + 1801

    @Test func everyOffsetAgreesWithPythonZoneinfo() throws {
        let script = """
        import sys, datetime, zoneinfo
        first, last, step = \(Self.first), \(Self.last), \(Self.step)
        utc = datetime.timezone.utc
        for name in sys.argv[1:]:
            z = zoneinfo.ZoneInfo(name)
            out = []
            t = first
            while t < last:
                d = datetime.datetime.fromtimestamp(t, tz=utc).astimezone(z)
                out.append(str(int(d.utcoffset().total_seconds())))
                t += step
            print(name, " ".join(out))
        """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", script] + Self.zones
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)
        var checked = 0
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let name = String(fields[0])
            let zone = try #require(ZoneInfo.named(name), "\(name) loads")
            var t = Self.first, mismatches: [String] = []
            for expected in fields.dropFirst() {
                let mine = zone.secondsFromGMT(at: t)
                if mine != Int(expected)!, mismatches.count < 5 { mismatches.append("t=\(t): \(mine) vs \(expected)") }
                t += Self.step
                checked += 1
            }
            #expect(mismatches.isEmpty, "\(name): \(mismatches)")
        }
        #expect(checked > 19 * 50_000)
    }

    @Test func theRuleAfterTheLastRecordedTransitionIsTheFootersRule() throws {
        // 2050 is past every recorded transition of Debian's files (they stop at 2037).
        let newYork = try #require(ZoneInfo.named("America/New_York"))
        let spring = LocalDateTime(year: 2050, month: 3, day: 13, hour: 7).secondsSinceEpoch  // 02:00 EST
        #expect(newYork.secondsFromGMT(at: spring - 1) == -5 * 3600)
        #expect(newYork.secondsFromGMT(at: spring) == -4 * 3600)
        let autumn = LocalDateTime(year: 2050, month: 11, day: 6, hour: 6).secondsSinceEpoch  // 02:00 EDT
        #expect(newYork.secondsFromGMT(at: autumn - 1) == -4 * 3600)
        #expect(newYork.secondsFromGMT(at: autumn) == -5 * 3600)
        let sydney = try #require(ZoneInfo.named("Australia/Sydney"))  // southern hemisphere: the rule wraps the year
        #expect(sydney.secondsFromGMT(at: LocalDateTime(year: 2060, month: 1, day: 15).secondsSinceEpoch) == 11 * 3600)
        #expect(sydney.secondsFromGMT(at: LocalDateTime(year: 2060, month: 7, day: 15).secondsSinceEpoch) == 10 * 3600)
    }

    @Test func chinaStandardTimeIsEightHoursAheadSince1991() throws {
        let shanghai = try #require(ZoneInfo.named("Asia/Shanghai"))
        #expect(shanghai.secondsFromGMT(at: LocalDateTime(year: 2026, month: 12, day: 7).secondsSinceEpoch) == 8 * 3600)
        #expect(shanghai.secondsFromGMT(at: LocalDateTime(year: 1988, month: 6, day: 1).secondsSinceEpoch) == 9 * 3600)
    }

    @Test func namesThatCouldLeaveTheDatabaseAreRefusedBeforeAnyFileIsOpened() {
        for name in ["../../etc/passwd", "/etc/localtime", "Asia/../../../etc/shadow", "Asia//Shanghai", "", ".", "Asia/.hidden",
                     "Asia/Shanghai\u{0}", "Asia/Sh anghai", String(repeating: "a", count: 300), "-rf"] {
            #expect(!ZoneInfo.isPlausibleName(name), "\(name.debugDescription)")
            #expect(ZoneInfo.named(name) == nil)
        }
        #expect(ZoneInfo.named("Mars/Olympus_Mons") == nil)
        #expect(ZoneInfo.named("Asia") == nil, "a directory is not a zone")
    }

    @Test func aLinkThatLeavesTheDatabaseIsNotFollowed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoneinfo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/Asia", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let real = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Asia/Shanghai"))
        try real.write(to: URL(fileURLWithPath: dir + "/Asia/Shanghai"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/PRC", withDestinationPath: "Asia/Shanghai")
        try FileManager.default.createSymbolicLink(atPath: dir + "/Outside", withDestinationPath: "/usr/share/zoneinfo/Asia/Tokyo")
        #expect(ZoneInfo.named("PRC", directory: dir)?.secondsFromGMT(at: 1_800_000_000) == 8 * 3600)
        #expect(ZoneInfo.named("Outside", directory: dir) == nil)
    }

    @Test func truncatedOrCorruptFilesAreRefusedNotTrusted() throws {
        let real = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/America/New_York")))
        #expect(throws: ZoneInfo.FormatError.self) { try ZoneInfo(tzif: [], identifier: "x") }
        for cut in stride(from: 0, to: real.count - 1, by: 37) {
            #expect(throws: ZoneInfo.FormatError.self) { try ZoneInfo(tzif: Array(real[..<cut]), identifier: "x") }
        }
        var huge = real
        huge[32] = 0x7F  // the v1 transition count's high byte
        #expect(throws: ZoneInfo.FormatError.self) { try ZoneInfo(tzif: huge, identifier: "x") }
        // Every single-byte corruption is either refused or read without a crash.
        for i in stride(from: 0, to: real.count, by: 3) {
            var bytes = real
            bytes[i] ^= 0xA5
            if let zone = try? ZoneInfo(tzif: bytes, identifier: "x") { _ = zone.secondsFromGMT(at: 2_000_000_000) }
        }
    }

    @Test func posixRulesOfTheFormsTheFootersUse() throws {
        func rule(_ s: String) -> PosixTZRule? { PosixTZRule(Array(s.utf8)) }
        #expect(rule("CST-8")?.offset(at: 0) == 8 * 3600)
        #expect(rule("<+0545>-5:45")?.offset(at: 0) == 5 * 3600 + 45 * 60)
        #expect(rule("<-03>3")?.offset(at: 0) == -3 * 3600)
        let jerusalem = try #require(rule("IST-2IDT,M3.4.4/26,M10.5.0"))
        #expect(jerusalem.offset(at: LocalDateTime(year: 2050, month: 7, day: 1).secondsSinceEpoch) == 3 * 3600)
        let godthab = try #require(rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))
        #expect(godthab.offset(at: LocalDateTime(year: 2050, month: 7, day: 1).secondsSinceEpoch) == -3600)
        for bad in ["", "8", "CS-8", "CST", "CST-8CDT,M3.2.0", "CST-8CDT,M13.2.0,M11.1.0", "CST-8CDT,J0,J365", "CST-999"] {
            #expect(rule(bad) == nil, "\(bad)")
        }
    }
}
