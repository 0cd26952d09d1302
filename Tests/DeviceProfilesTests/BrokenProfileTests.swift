import Sessions
import DeviceProfiles
import PocGateCore
import Testing

/// Deliberately broken declarative profiles: each must fail with the exact file:line:column of
/// the mistake and a message that says what is wrong. The base profile is valid; each case
/// replaces one line of it.
@Suite struct BrokenProfileTests {
    static let base = """
        id: test-bp
        version: 1
        name: Test
        kind: blood-pressure-monitor
        protocol: declarative
        match:
          usb:
            - {vendor: 0x1a86, product: 0x7523}
        line:
          baud: 9600
        frame:
          start: "AA 55"
          length: {offset: 3, size: 1, counts: from, from: 4}
          checksum: {type: crc8-maxim, from: 0, to: -2, at: -1}
        records:
          result:
            when: [{byte: 2, equals: 0x43}]
            fields:
              systolic: {offset: 4, size: 2, type: uint}
              when: {offset: 6, type: datetime, layout: bcd, format: YYMMDDhhmm}
              meal: {offset: 11, size: 1, values: {1: before-meal}}
        readings:
          - on: result
            kind: blood-pressure
            unit: mm[Hg]
            value: result.systolic
            time: result.when
        commands:
          read: {bytes: "AA 55 43 02 00 cs", writes: false}
          wipe: {bytes: "AA 55 44 02 00 cs", writes: true}
        session:
          script:
            - {send: read, expect: result}
        """

    /// The base with line `n` (1-based) replaced.
    static func replacing(_ n: Int, with text: String) -> String {
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[n - 1] = text
        return lines.joined(separator: "\n")
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var line: Int
        var replacement: String
        var at: (line: Int, column: Int)
        var says: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown checksum family", line: 14, replacement: "  checksum: {type: crc9, from: 0, to: -2, at: -1}",
             at: (14, 20), says: "'frame.checksum.type' must be one of sum8, xor8"),
        Case(name: "checksum inside its own range", line: 14, replacement: "  checksum: {type: crc8-maxim, from: 0, to: -1, at: -1}",
             at: (14, 53), says: "lies inside the bytes it covers"),
        Case(name: "reading names a missing field", line: 26, replacement: "    value: result.diastolic",
             at: (26, 12), says: "record 'result' has no field 'diastolic' (fields: systolic, when, meal)"),
        Case(name: "reading on a missing record", line: 23, replacement: "  - on: reslt",
             at: (23, 9), says: "no record 'reslt' (records: result)"),
        Case(name: "unit without a LOINC code", line: 25, replacement: "    unit: mmHg",
             at: (25, 11), says: "unit 'mmHg' has no LOINC code for blood-pressure; use one of mm[Hg]"),
        Case(name: "flags from a field without value names", line: 27, replacement: "    time: result.when\n    flags: [result.meal, result.systolic]",
             at: (28, 26), says: "field 'result.systolic' has no 'values' naming its flags"),
        Case(name: "script sends a write", line: 33, replacement: "    - {send: wipe, expect: result}",
             at: (33, 14), says: "command 'wipe' is declared 'writes: true'"),
        Case(name: "field past the end of the frame", line: 19, replacement: "      systolic: {offset: 95, size: 2, type: uint}",
             at: (19, 26), says: "ends past the 96-byte frame"),
        Case(name: "datetime size against its layout", line: 20,
             replacement: "      when: {offset: 6, size: 4, type: datetime, layout: bcd, format: YYMMDDhhmm}",
             at: (20, 31), says: "'size: 4' does not match the 5 bytes the datetime layout uses"),
        Case(name: "length field inside the start bytes", line: 13, replacement: "  length: {offset: 1, size: 1, counts: from, from: 4}",
             at: (13, 20), says: "lies inside the start bytes"),
        Case(name: "misspelt key in a record", line: 17, replacement: "    whenn: [{byte: 2, equals: 0x43}]",
             at: (17, 5), says: "unknown key 'records.result.whenn'; allowed here: fields, keep, when"),
        Case(name: "time from a number field", line: 27, replacement: "    time: result.systolic",
             at: (27, 11), says: "is not a datetime field"),
        Case(name: "start bytes not hex", line: 12, replacement: "  start: \"AA 5G\"",
             at: (12, 10), says: "'frame.start' must be hex bytes"),
    ]

    @Test func baseIsValid() {
        let check = DeviceProfile.check(Self.base, file: "base.yaml", families: .builtIn)
        #expect(check.errors.isEmpty)
        #expect(check.warnings.isEmpty)
        #expect(check.profile?.declarative != nil)
    }

    @Test(arguments: cases)
    func brokenProfileIsLocated(_ c: Case) throws {
        let check = DeviceProfile.check(Self.replacing(c.line, with: c.replacement), file: "broken.yaml", families: .builtIn)
        #expect(check.profile == nil)
        #expect(check.errors.count == 1, "one mistake, one error: \(check.errors)")
        let e = try #require(check.errors.first)
        #expect(e.file == "broken.yaml")
        #expect(e.line == c.at.line && e.column == c.at.column, "\(e)")
        #expect(e.message.contains(c.says), "\(e.message)")
        // parse() throws the same first error.
        #expect(throws: e) { try DeviceProfile.parse(Self.replacing(c.line, with: c.replacement), file: "broken.yaml", families: .builtIn) }
    }

    @Test func everyErrorOfSeveralBrokenReadingsIsReported() {
        var lines = Self.base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[25] = "    value: result.nothing"
        lines[26] = "    time: result.when\n  - on: nowhere\n    kind: heart-rate\n    unit: /min\n    value: result.systolic\n    time: result.when"
        let text = lines.joined(separator: "\n")
        let check = DeviceProfile.check(text, file: "two.yaml", families: .builtIn)
        #expect(check.errors.map { "\($0.line):\($0.column)" } == ["26:12", "28:9"])
    }

    @Test func checksumRangeLeavingOutTheLengthIsAWarning() throws {
        let check = DeviceProfile.check(Self.replacing(14, with: "  checksum: {type: crc8-maxim, from: 4, to: -2, at: -1}"), file: "w.yaml", families: .builtIn)
        #expect(check.errors.isEmpty)
        let w = try #require(check.warnings.first)
        #expect(w.line == 14 && w.column == 38)
        #expect(w.message.contains("leaves out the length field at offset 3"))
    }

    @Test func unusualBaudForTaiDocFramesIsAWarning() throws {
        let text = """
            id: td
            version: 1
            name: t
            protocol: declarative
            match:
              usb:
                - {vendor: 0x067b, product: 0x2303}
            line:
              baud: 9600
            frame:
              start: "51"
              length: 8
              checksum: {type: sum8, from: 0, to: 6, at: 7}
            records:
              value:
                when: [{byte: 1, equals: 0x26}]
                fields:
                  glucose: {offset: 2, size: 2, endian: little}
                  at: {offset: 2, type: datetime, layout: taidoc-packed}
            readings:
              - {on: value, kind: glucose, unit: mg/dL, value: value.glucose, time: value.at}
            """
        let check = DeviceProfile.check(text, file: "baud.yaml", families: .builtIn)
        #expect(check.errors.isEmpty, "\(check.errors)")
        let w = try #require(check.warnings.first)
        #expect(w.line == 9 && w.column == 9)
        #expect(w.message.contains("baud 9600 is unusual for declarative devices (expected 19200)"))
    }

    /// `session.quiet_time_s`: read for a listening protocol; a warning where the protocol polls
    /// (it would do nothing); an error outside 1 … 86400.
    @Test func quietTimeIsReadWarnedAboutWhereItDoesNothingAndBounded() throws {
        func profile(_ proto: String, _ quiet: String) -> String {
            """
            id: q
            version: 1
            name: t
            protocol: \(proto)
            match:
              usb:
                - {vendor: 0x0403, product: 0x6001}
            line:
              baud: 9600
            session:
              poll_interval_s: 2
              quiet_time_s: \(quiet)
            """
        }
        let astm = DeviceProfile.check(profile("astm-e1394", "120"), file: "astm.yaml", families: .builtIn)
        #expect(astm.errors.isEmpty && astm.warnings.isEmpty, "\(astm.errors) \(astm.warnings)")
        #expect(try DeviceProfile.parse(profile("astm-e1394", "120"), file: "astm.yaml", families: .builtIn).session.quietTimeSeconds == 120)
        #expect(try DeviceProfile.parse(profile("hl7-mllp", "60"), file: "h.yaml", families: .builtIn).session.listenWindowMillis(default: nil) == 60_000)
        let polled = DeviceProfile.check(profile("taidoc-td42xx", "60"), file: "td.yaml", families: .builtIn)
        let w = try #require(polled.warnings.first { $0.message.contains("quiet_time_s") })
        #expect(w.line == 12 && w.column == 17)
        #expect(w.message.contains("has no effect on taidoc-td42xx"))
        let zero = DeviceProfile.check(profile("astm-e1394", "0"), file: "zero.yaml", families: .builtIn)
        let e = try #require(zero.errors.first)
        #expect(e.line == 12 && e.message.contains("quiet_time_s"))
    }

    @Test func overlappingMatchRuleIsAWarning() throws {
        let a = try DeviceProfile.parse(Self.base, file: "a.yaml", families: .builtIn)
        var b = a
        b.id = "other"
        b.sourceFile = "b.yaml"
        let warnings = ProfileLint.overlapWarnings(a, others: [b], text: Self.base)
        #expect(warnings.count == 1)
        #expect(warnings.first?.line == 6)
        #expect(warnings.first?.message.contains("also matches profile 'other'") == true)
        b.enabled = false
        #expect(ProfileLint.overlapWarnings(a, others: [b], text: Self.base).isEmpty)
    }

    /// Live profiles sharing a bridge id but with distinct `probe_order`s are settled by their
    /// identification probes, not by load order: no warning that says otherwise.
    @Test func liveProfilesProbedInADistinctOrderAreNotAnOverlap() throws {
        var a = try DeviceProfile.parse(Self.base, file: "a.yaml", families: .builtIn)
        var b = a
        b.id = "other"
        b.sourceFile = "b.yaml"
        a.hasLiveSession = true
        b.hasLiveSession = true
        a.match.probeOrder = 10
        b.match.probeOrder = 20
        #expect(ProfileLint.overlapWarnings(a, others: [b], text: Self.base).isEmpty)
        b.match.probeOrder = 10
        #expect(ProfileLint.overlapWarnings(a, others: [b], text: Self.base).count == 1, "the same order: load order decides")
    }

    @Test func disabledProfileNeverClaimsAPort() throws {
        var p = try DeviceProfile.parse(Self.base, file: "a.yaml", families: .builtIn)
        p.enabled = false
        let port = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x1a86, productID: 0x7523))
        #expect(ProfileCatalog([p]).profile(id: "test-bp") != nil)
        #expect(ProfileCatalog([p]).match(port) == nil)
        p.enabled = true
        #expect(ProfileCatalog([p]).match(port)?.id == "test-bp")
    }
}
