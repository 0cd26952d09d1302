import Sessions
import DeviceProfiles
import Foundation
import FrameParsing
import PocGateCore
import Testing

/// Profiles written carelessly or with intent: oversized files, thousands of record types,
/// records no frame can reach, checksums no frame can carry, read-only commands that send a
/// write's bytes. Each is refused or warned about at its place, in bounded time and memory.
@Suite struct HostileProfileTests {
    static func check(_ text: String) -> ProfileCheck { DeviceProfile.check(text, file: "p.yaml", families: .builtIn) }

    static func tempDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func F4_hugeProfileFileIsRefusedBySizeBeforeReading() throws {
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/huge.yaml"
        // A sparse 256 MiB file: refused from its size alone, never read.
        #expect(FileManager.default.createFile(atPath: path, contents: Data("id: x\n".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 256 << 20)
        try handle.close()
        let (catalog, issues) = ProfileCatalog.load(directories: [dir], families: .builtIn)
        #expect(catalog.profiles.isEmpty)
        let issue = try #require(issues.first)
        #expect(issue.message.contains("268435456 bytes, more than the \(ProfileLimits.fileBytes) bytes allowed"))
        #expect(issue.description.utf8.count < 300)
        #expect(throws: YAMLIssue.self) { try ProfileCatalog.readText(path) }
    }

    @Test func profileThatIsADirectoryOrDeviceIsRefusedWithTheReason() {
        #expect(throws: YAMLIssue(file: "/dev/null", line: 0, column: 0,
                                  message: "not a regular file (a directory, device or pipe); give the path of a file")) {
            try ProfileCatalog.readText("/dev/null")
        }
    }

    /// The base profile with `count` record types, each with `fields` fields.
    static func manyRecords(_ count: Int, fields: Int = 1) -> String {
        var text = BrokenProfileTests.base.components(separatedBy: "records:\n")[0] + "records:\n"
        for i in 0..<count {
            text += "  r\(i):\n    when: [{byte: 2, equals: \(i % 256)}, {byte: 3, equals: \(i / 256)}]\n    fields:\n"
            for f in 0..<fields { text += "      f\(f): {offset: \(4 + f % 8), size: 1}\n" }
        }
        text += """
            readings:
              - on: r0
                kind: blood-pressure
                unit: mm[Hg]
                value: r0.f0
                time: r0.f0
            """
        return text
    }

    @Test func F7_tooManyRecordTypesIsAnErrorAtTheRecordsKey() throws {
        let result = Self.check(Self.manyRecords(ProfileLimits.records + 1))
        #expect(result.profile == nil)
        let e = try #require(result.errors.first { $0.message.contains("record types") })
        #expect(e.message.contains("has \(ProfileLimits.records + 1) record types; a profile may have at most \(ProfileLimits.records)"))
        #expect(e.line == 16 && e.column == 3)
        // One error about the count, not one per record, and every message bounded.
        #expect(result.errors.allSatisfy { $0.message.utf8.count < 400 })
    }

    @Test func F7_tooManyFieldsInARecordIsAnErrorAtItsFields() throws {
        let result = Self.check(Self.manyRecords(1, fields: ProfileLimits.fieldsPerRecord + 1))
        let e = try #require(result.errors.first { $0.message.contains("fields;") })
        #expect(e.message.contains("record 'r0' has \(ProfileLimits.fieldsPerRecord + 1) fields; a record may have at most \(ProfileLimits.fieldsPerRecord)"))
        #expect(e.line > 0)
    }

    @Test func F7_scriptLongerThanTheLimitIsAnError() throws {
        let steps = String(repeating: "    - {send: read, expect: result}\n", count: ProfileLimits.scriptSteps + 1)
        let text = BrokenProfileTests.replacing(33, with: steps)
        let e = try #require(Self.check(text).errors.first)
        #expect(e.message.contains("more than \(ProfileLimits.scriptSteps) steps"))
        #expect(e.line == 33)
    }

    @Test func F20_recordsWithIdenticalWhenAreWarnedUnreachable() throws {
        let text = BrokenProfileTests.replacing(21, with: "      meal: {offset: 11, size: 1, values: {1: before-meal}}\n  again:\n    when: [{byte: 2, equals: 0x43}]")
        let result = Self.check(text)
        #expect(result.errors.isEmpty)
        let w = try #require(result.warnings.first { $0.message.contains("never chosen") })
        #expect(w.message.contains("record 'again' is never chosen: the earlier record 'result' has the same 'when' rules"))
        #expect(w.line == 22 && w.column == 3)
    }

    @Test func F20_recordShadowedByAnEarlierWiderRuleIsWarned() throws {
        let text = BrokenProfileTests.replacing(21, with: "      meal: {offset: 11, size: 1, values: {1: before-meal}}\n  narrower:\n    when: [{byte: 3, equals: 7}, {byte: 2, equals: 0x43}]\n  other:\n    when: [{byte: 2, equals: 0x40, mask: 0xF0}]")
        let result = Self.check(text)
        let warned = result.warnings.filter { $0.message.contains("never chosen") }.map(\.message)
        #expect(warned.count == 1)
        #expect(warned.first?.contains("record 'narrower' is never chosen: the earlier record 'result' has 'when' rules that every one of its frames meets") == true)
    }

    @Test func recordsThatDifferAreNotWarned() {
        #expect(!Self.check(Self.manyRecords(20)).warnings.contains { $0.message.contains("never chosen") })
        #expect(RecordSpec.rules([ByteRule(offset: 2, value: 0x43)], imply: [ByteRule(offset: 2, value: 0x40, mask: 0xF0)]))
        #expect(!RecordSpec.rules([ByteRule(offset: 2, value: 0x40, mask: 0xF0)], imply: [ByteRule(offset: 2, value: 0x43)]))
        #expect(!RecordSpec.rules([ByteRule(offset: 2, value: 0x43)], imply: [ByteRule(offset: -2, value: 0x43)]))
    }

    @Test func F19_checksumPositionBeyondMaxLengthIsAnError() throws {
        let text = BrokenProfileTests.replacing(14, with: "  max_length: 12\n  checksum: {type: crc8-maxim, from: 0, to: 11, at: 12}")
        let result = Self.check(text)
        #expect(result.profile == nil)
        let e = try #require(result.errors.first)
        #expect(e.message.contains("the checksum position 12 (1 byte(s)) lies beyond the longest frame, 'frame.max_length' 12"))
        #expect(e.line == 15)
    }

    @Test func checksumRangeBeyondMaxLengthIsAnError() throws {
        let text = BrokenProfileTests.replacing(14, with: "  max_length: 12\n  checksum: {type: crc8-maxim, from: 0, to: 12, at: -1}")
        #expect(Self.check(text).errors.first?.message.contains("lies beyond the longest frame") == true)
        let fits = BrokenProfileTests.replacing(14, with: "  max_length: 12\n  checksum: {type: crc8-maxim, from: 0, to: -2, at: -1}")
        #expect(Self.check(fits).errors.isEmpty)
    }

    @Test func F21_readOnlyCommandWithAWriteCommandsBytesIsAnErrorAndNeverSent() throws {
        // 'nap' sends the same bytes as the write 'wipe' under a read-only name.
        let text = BrokenProfileTests.replacing(30, with: "  wipe: {bytes: \"AA 55 44 02 00 cs\", writes: true}\n  nap: {bytes: \"AA 55 44 02 00 cs\", writes: false}")
        let result = Self.check(text)
        #expect(result.profile == nil)
        let e = try #require(result.errors.first)
        #expect(e.message.hasPrefix("command 'nap' is declared 'writes: false' but sends AA 55 44 02 00"))
        #expect(e.message.contains("the bytes of command 'wipe' (writes: true)"))
        #expect(e.line == 31)
        // The transport's allow-list refuses the bytes whatever the profile says.
        let spec = try #require(Self.check(BrokenProfileTests.base).profile?.declarative?.spec)
        var clashing = spec
        clashing.commands.append(CommandSpec(name: "nap", tokens: spec.commands[1].tokens, writes: false))
        let plan = DeclarativePlan(clashing)
        let wipe = plan.frame(for: spec.commands[1])
        #expect(!plan.mayTransmit(wipe))
        #expect(plan.mayTransmit(plan.frame(for: spec.commands[0])))
        #expect(plan.clashes().map(\.command) == ["nap"])
    }

    @Test func F21_templatedReadOnlyCommandThatCanProduceAWriteIsAnError() throws {
        let text = BrokenProfileTests.replacing(30, with: "  wipe: {bytes: \"AA 55 44 02 00 cs\", writes: true}\n  page: {bytes: \"AA 55 i.lo 02 00 cs\", writes: false}")
        let e = try #require(Self.check(text).errors.first)
        #expect(e.message.hasPrefix("command 'page' is declared 'writes: false' but sends AA 55 44 02 00"))
    }

    @Test func F21_tooManyIndexedCommandsToCheckIsAnError() throws {
        let commands = (0...ProfileLimits.indexedCommands).map { "  p\($0): {bytes: \"AA 55 i.lo i.hi \($0 + 10) cs\", writes: false}" }
        let text = BrokenProfileTests.replacing(30, with: commands.joined(separator: "\n"))
        let e = try #require(Self.check(text).errors.first)
        #expect(e.message == "\(ProfileLimits.indexedCommands + 1) commands use the loop index (i.lo, i.hi); a profile may have at most \(ProfileLimits.indexedCommands)")
        #expect(e.line == 29)
    }

    /// A TaiDoc-shaped declarative profile (start 0x51, 8 bytes) with one read-only command.
    static func taidoc(_ command: String) -> String {
        """
        id: td-like
        version: 1
        name: Test
        protocol: declarative
        match:
          usb:
            - {vendor: 0x067b, product: 0x2303}
        line:
          baud: 19200
        frame:
          start: "51"
          length: 8
          checksum: {type: sum8, from: 0, to: 6, at: 7}
        records:
          value:
            when: [{byte: 1, equals: 0x26}]
            fields:
              mg: {offset: 2, size: 2, endian: little}
              at: {offset: 2, type: datetime, layout: taidoc-packed}
        readings:
          - on: value
            kind: glucose
            unit: mg/dL
            value: value.mg
            time: value.at
        commands:
          \(command)
        """
    }

    @Test func F21_readOnlyCommandThatIsAKnownFamilyWriteIsAnError() throws {
        let result = Self.check(Self.taidoc("tidy: {bytes: \"51 52 00 00 00 00 A3 cs\", writes: false}"))
        let e = try #require(result.errors.first)
        #expect(e.message.contains("command 'tidy' is declared 'writes: false' but sends 51 52 00 00 00 00 A3"))
        #expect(e.message.contains("the TaiDoc clear-memory command (0x52)"))
        let loop = Self.check(Self.taidoc("set: {bytes: \"51 i.lo 00 00 00 00 A3 cs\", writes: false}"))
        #expect(loop.errors.first?.message.contains("the TaiDoc set-clock command (0x33)") == true)
        // The check that skips building a command's 65,536 frames when its literal head cannot
        // be a write still finds a write whose head is literal and whose index is elsewhere.
        let wide = Self.check(Self.taidoc("sweep: {bytes: \"51 33 i.lo i.hi 00 00 A3 cs\", writes: false}"))
        #expect(wide.errors.first?.message.contains("the TaiDoc set-clock command (0x33)") == true)
        let harmless = Self.check(Self.taidoc("sweep: {bytes: \"51 25 i.lo i.hi 00 00 A3 cs\", writes: false}"))
        #expect(!harmless.errors.contains { $0.message.contains("declared 'writes: false'") })
    }
}

/// A declarative device's serial and model are bounded and escaped like any device text.
@Suite struct DeclarativeIdentityTextTests {
    /// A declarative glucose profile of 12-byte `AA 56` frames (value at byte 2, BCD minute at
    /// byte 4), with the further `fields` of the record, `device` lines and `reading` keys.
    static func glucoseProfile(id: String, fields: [String], device: [String] = [], reading: [String] = []) -> String {
        let head = [
            "id: \(id)", "version: 1", "name: Test", "protocol: declarative",
            "match:", "  usb:", "    - {vendor: 0x1a86, product: 0x7523}", "line:", "  baud: 9600",
            "frame:", "  start: \"AA\"", "  length: 12", "  checksum: {type: sum8, from: 0, to: 10, at: 11}",
            "records:", "  value:", "    when: [{byte: 1, equals: 0x56}]", "    fields:",
            "      mg: {offset: 2, size: 2}", "      at: {offset: 4, type: datetime, layout: bcd, format: YYMMDDhhmm}",
        ]
        let readings = ["readings:", "  - on: value", "    kind: glucose", "    unit: mg/dL", "    value: value.mg", "    time: value.at"]
        return (head + fields.map { "      " + $0 } + device + readings + reading.map { "    " + $0 }).joined(separator: "\n") + "\n"
    }

    static let profile = glucoseProfile(
        id: "id-text", fields: ["sn: {offset: 9, size: 2, type: hex}"],
        device: ["device:", "  serial: \"\\e[31m{value.sn}\(String(repeating: "0123456789", count: 8))\"", "  model: \"plain\""])

    /// `bytes` framed and assembled as a live session or a replay does: the dump after the last
    /// frame, the readings and the problems' reasons.
    static func decode(_ plan: DeclarativePlan, _ bytes: [UInt8], profileID: String)
        -> (dump: DeclarativeDump, readings: [Reading], problems: [String]) {
        var stream = FrameStream(plan.decoder)
        stream.append(bytes)
        var dump = DeclarativeDump(plan: plan)
        var problems: [String] = []
        var readings: [Reading] = []
        while let frame = stream.next() {
            let out = dump.consume(frame, profileID: profileID)
            problems += out.problems.map(\.reason)
            readings += out.readings
        }
        return (dump, readings, problems)
    }

    @Test func serialWithControlCharactersAndTooLongIsKeptEscapedCutAndReported() throws {
        let plan = try #require(DeviceProfile.check(Self.profile, file: "p.yaml", families: .builtIn).profile?.declarative)
        let bytes = plan.frame(for: CommandSpec(name: "f", tokens: [0xAA, 0x56, 0x00, 0x64, 0x24, 0x06, 0x15, 0x08, 0x30, 0x12, 0x34].map { .byte($0) } + [.checksum],
                                                writes: false))
        let (dump, readings, problems) = Self.decode(plan, bytes + bytes, profileID: "id-text")
        #expect(readings.count == 2)
        let serial = try #require(dump.serial)
        #expect(serial.hasPrefix("\\x1B[31m1234012345"))
        #expect(serial.count == DeviceText.maximumIdentityLength)
        #expect(readings.allSatisfy { $0.deviceSerial == serial })
        #expect(problems.count == 1)  // reported once, not per frame
        #expect(problems.first?.contains("control characters written as escapes, cut from") == true)
        #expect(dump.model == "plain")
    }
}

/// A declarative reading's flags and record key: a flag named by a field and the same flag
/// from the profile's range are one flag, flags are in order, and identical records are told
/// apart by their occurrence in the key ("kind|minute|value|component values|flags|n").
@Suite struct DeclarativeFlagsAndKeyTests {
    static let profile = DeclarativeIdentityTextTests.glucoseProfile(
        id: "flags-key",
        fields: ["meal: {offset: 9, size: 1, values: {1: before-meal}}", "range: {offset: 10, size: 1, values: {1: hi, 2: none}}"],
        reading: ["flags: [value.range, value.meal]", "hi_above: 100"])

    @Test func flagsAreOnceAndInOrderAndKeysCountIdenticalRecords() throws {
        let plan = try #require(DeviceProfile.check(Self.profile, file: "p.yaml", families: .builtIn).profile?.declarative)
        func frame(_ tail: [UInt8]) -> [UInt8] {
            plan.frame(for: CommandSpec(name: "f", tokens: ([0xAA, 0x56, 0x00, 0x96, 0x24, 0x06, 0x15, 0x08, 0x30] + tail).map { .byte($0) }
                                        + [.checksum], writes: false))
        }
        let readings = DeclarativeIdentityTextTests.decode(plan, frame([0x01, 0x01]) + frame([0x01, 0x01]) + frame([0x00, 0x02]),
                                                           profileID: "flags-key").readings
        try #require(readings.count == 3)
        #expect(readings[0].flags == [.beforeMeal, .aboveRange], "in the order of their names, 'hi' once")
        #expect(readings[2].flags == [.aboveRange], "the range alone; 'none' names no flag")
        #expect(readings.map(\.recordKey) == [
            "glucose|2024-06-15T08:30|150||before-meal,hi|0",
            "glucose|2024-06-15T08:30|150||before-meal,hi|1",
            "glucose|2024-06-15T08:30|150||hi|0",
        ])
    }
}
