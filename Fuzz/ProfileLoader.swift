import DeviceProfiles
import FrameParsing
import Sessions

/// libFuzzer target for the profile loader: the input is a profile file's bytes, checked the
/// way `profile validate` and the daemon's watcher check one (`DeviceProfile.check`).
///
/// - never traps, whatever the bytes (invalid UTF-8 is refused like the loader refuses it);
/// - a file is either a profile with no errors or refused with at least one error, and every
///   error names the file and a place in it (line and column from 1), or is one of the few
///   whole-file errors (empty file, not a mapping at the top);
/// - every message is bounded (values quoted back are cut), so a hostile file cannot make a
///   megabyte log line;
/// - a declarative profile that loads keeps the read-only guarantee by bytes: no command its
///   transport may send is a write's bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard size <= ProfileLimits.fileBytes, let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    let result = DeviceProfile.check(text, file: "fuzz.yaml", families: .builtIn)
    DecoderInvariants.expect((result.profile == nil) != result.errors.isEmpty,
                             "a profile came back with \(result.errors.count) errors")
    for issue in result.errors + result.warnings {
        DecoderInvariants.expect(issue.file == "fuzz.yaml", "an issue names the file \(issue.file)")
        DecoderInvariants.expect(issue.line >= 1 && issue.column >= 1 || ProfileLoaderPlaces.wholeFile(issue.message),
                                 "an issue without a place: \(issue.message)")
        DecoderInvariants.expect(issue.message.utf8.count <= 2_048, "a \(issue.message.utf8.count)-byte message")
    }
    if let plan = result.profile?.declarative {
        DecoderInvariants.expect(plan.clashes().isEmpty, "a profile with a read-only command that sends a write loaded")
        for c in plan.spec.commands where c.writes {
            DecoderInvariants.expect(!plan.mayTransmit(plan.frame(for: c)), "write command '\(c.name)' may be transmitted")
        }
    }
    return 0
}

/// The issues about a file as a whole, which have no line.
enum ProfileLoaderPlaces {
    static func wholeFile(_ message: String) -> Bool {
        message == "the file is empty" || message.hasPrefix("not valid YAML") || message.hasPrefix("the document must be")
    }
}

/// Seeds: a declarative profile with a length field, CRC, records, readings, commands and a
/// script; a TaiDoc-shaped one; a live-protocol profile without declarative sections.
func fuzzSeeds() -> [[UInt8]] {
    let declarative = """
        id: fuzz-bp
        version: 1
        name: Fuzz
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
          max_length: 40
          checksum: {type: crc8-maxim, from: 0, to: -2, at: -1}
        records:
          result:
            when: [{byte: 2, equals: 0x43}]
            fields:
              systolic: {offset: 4, size: 2, type: uint}
              when: {offset: 6, type: datetime, layout: bcd, format: YYMMDDhhmm}
              meal: {offset: 11, size: 1, values: {1: before-meal}}
          count:
            when: [{byte: 2, equals: 0x42}]
            fields:
              n: {offset: 4, size: 2}
        device:
          serial: "BP-{result.systolic}"
        readings:
          - on: result
            kind: blood-pressure
            unit: mm[Hg]
            value: result.systolic
            time: result.when
            flags: [result.meal]
        commands:
          how_many: {bytes: "AA 55 42 02 00 cs", writes: false}
          read: {bytes: "AA 55 43 02 i.lo cs", writes: false}
          wipe: {bytes: "AA 55 44 02 00 cs", writes: true}
        session:
          script:
            - {send: how_many, expect: count}
            - for_each: count.n
              do:
                - {send: read, expect: result, timeout_ms: 500}
        """
    let taidoc = """
        id: fuzz-td
        version: 2
        name: TaiDoc-like
        protocol: declarative
        match:
          usb:
            - {vendor: 0x067b, product: 0x2303, serial_prefix: "TD"}
        line:
          baud: 19200
        frame:
          start: "51"
          length: 8
          checksum: {type: sum8, from: 0, to: 6, at: 7}
        records:
          value:
            when: [{byte: 1, equals: 0x26}, {byte: 6, equals: 0xA5}]
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
          read: {bytes: "51 26 i.lo i.hi 00 00 A3 cs", writes: false}
          set_clock: {bytes: "51 33 00 00 00 00 A3 cs", writes: true}
        """
    let live = """
        id: fuzz-kiosk
        version: 1
        name: Kiosk
        kind: health-kiosk
        protocol: hl7-mllp
        enabled: true
        match:
          usb:
            - {vendor: 0x0403, product: 0x6001, manufacturer: "FTDI"}
        line:
          baud: 115200
        session:
          quiet_time_s: 600
        """
    return [declarative, taidoc, live].map { Array($0.utf8) }
}
