import Daemon
public import FrameParsing

/// Turns a `FrameSketch` into what `pocgate profile sketch` prints: a findings report for the
/// technician and a profile skeleton in the declarative schema (docs/PROFILES.md) with every
/// finding filled in and every unknown marked `FILL-IN`, so `pocgate profile validate` refuses
/// it until a person has decided.
public enum ProfileSkeleton {
    /// The findings, one line each, with how many frames each holds for.
    public static func report(_ s: FrameSketch, capture: String) -> [String] {
        var lines = ["capture \(capture): \(s.totalBytes) bytes, looks like \(s.encoding == .text ? "printable text lines" : "binary frames")"]
        switch s.encoding {
        case .text:
            guard let t = s.text else { break }
            lines.append("lines: \(t.lines), ending \(t.lineEnd == "\r\n" ? "CR LF" : t.lineEnd == "\n" ? "LF" : "CR")")
            lines.append("most lines start with: \(t.leadingCharacters.map { "'\($0)'" }.joined(separator: ", "))")
            if let sep = t.separator { lines.append("field separator candidate: '\(sep)'") }
            if let c = t.checksum {
                lines.append("checksum: \(c.family) as \(c.digits) hex digits at the line end, over characters \(c.coverFrom)… up to \(c.gap) character(s) before the digits: \(c.matching)/\(c.candidates) lines")
            } else {
                lines.append("checksum: none found at the line ends")
            }
        case .binary:
            guard s.frames > 0 else {
                lines.append("no repeating frame structure found: capture more (a full memory dump), or the device may use text")
                break
            }
            let percent = s.totalBytes == 0 ? 0 : s.coveredBytes * 100 / s.totalBytes
            lines.append("frames: \(s.frames) covering \(s.coveredBytes) of \(s.totalBytes) bytes (\(percent) %), lengths \(s.frameLengths.map(String.init).joined(separator: ", "))")
            lines.append("start bytes: \(hex(s.start))")
            if let l = s.length { lines.append("length: \(l)") }
            if let m = s.endMarker { lines.append("end marker: 0x\(Hex.byte(m.value)) at \(m.fromEnd) byte(s) from the end") }
            lines.append(s.checksum.map { "checksum: \($0)" } ?? "checksum: none of the known families (sum8, xor8, CRC-8 MAXIM/SMBUS, sum16, CRC-16 CCITT-FALSE/XMODEM/KERMIT/MODBUS/ARC) matches")
            for r in s.recordTypeOffsets {
                lines.append("record type candidate: byte \(r.offset) takes \(r.values.map { "0x" + Hex.byte($0) }.joined(separator: ", "))")
            }
        }
        return lines
    }

    /// A profile skeleton (YAML, the declarative schema of docs/PROFILES.md) with the findings
    /// filled in. Offsets are frame offsets; negative ones count from the frame end (-1 = last).
    public static func yaml(_ s: FrameSketch) -> String {
        var y = """
            # Profile skeleton written by `pocgate profile sketch` from a capture.
            # Every FILL-IN is something the capture cannot tell: fill it from the protocol sheet,
            # then `pocgate profile validate` and `pocgate profile test --capture`.
            id: FILL-IN-vendor-model
            version: 1
            name: FILL-IN device name
            kind: FILL-IN   # glucose-meter, blood-pressure-monitor, health-kiosk, ...
            protocol: declarative
            match:
              usb:
                - vendor: FILL-IN    # `pocgate devices` shows the port's USB ids
                  product: FILL-IN
            line:
              baud: FILL-IN          # the rate the capture was taken at

            """
        guard s.encoding == .binary else {
            y += "# Text lines: declarative frames describe binary protocols; a text protocol needs a\n"
            y += "# built-in codec (docs/PROFILES.md).\n"
            if let t = s.text {
                y += "# Found: lines end with \(t.lineEnd == "\r\n" ? "CR LF" : t.lineEnd == "\n" ? "LF" : "CR")"
                if let c = t.checksum { y += "; \(c.family) as \(c.digits) hex digits at the line end" }
                y += "\n"
            }
            return y
        }
        y += "frame:\n"
        y += "  start: \"\(s.start.map(Hex.byte).joined(separator: " "))\"\n"
        switch s.length {
        case let .fixed(n)?:
            y += "  length: \(n)\n"
        case let .field(offset, size, bigEndian, adjust)?:
            y += "  length: {offset: \(offset), size: \(size)\(size > 1 ? ", endian: \(bigEndian ? "big" : "little")" : ""), counts: whole-frame\(adjust == 0 ? "" : ", adjust: \(adjust)")}\n"
        case nil:
            y += "  length: FILL-IN\n"
        }
        if case .field? = s.length, let longest = s.frameLengths.last {
            y += "  max_length: 96   # longest frame seen: \(longest); lower it to the protocol sheet's maximum\n"
        }
        if let m = s.endMarker {
            if m.fromEnd == 1 {
                y += "  terminator: \"\(Hex.byte(m.value))\"\n"
            } else {
                y += "  require: [{byte: -\(m.fromEnd), equals: 0x\(Hex.byte(m.value))}]   # seen in every frame\n"
            }
        }
        if let c = s.checksum {
            let at = -(c.fromEnd + c.width - 1)
            var line = "  checksum: {type: \(c.family), from: \(c.coverFrom), to: -\(c.coverExcludesLast + 1), at: \(at)"
            if c.width > 1 { line += ", endian: \(c.bigEndian ? "big" : "little")" }
            y += line + "}   # \(c.matching)/\(c.frames) frames\n"
            if c.seed != 0 {
                y += "  # FILL-IN: the device adds a constant 0x\(Hex.byte(c.seed)) to its \(c.family); the schema has no seed\n"
            }
        } else {
            y += "  checksum: FILL-IN    # no known family matched every frame\n"
        }
        y += "records:\n"
        if let r = s.recordTypeOffsets.first {
            for v in r.values {
                y += "  record_\(Hex.byte(v).lowercased()):   # FILL-IN: a name for this record type\n"
                y += "    when: [{byte: \(r.offset), equals: 0x\(Hex.byte(v))}]\n"
            }
        } else {
            y += "  record:\n    when: FILL-IN\n"
        }
        y += """
            # FILL-IN: each record's fields (offset, size, type, endian, scale, values), then
            # readings (kind, unit, value, time, flags) and, for a live session, commands and
            # session.script: docs/PROFILES.md.
            readings: FILL-IN

            """
        return y
    }

    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { "0x" + Hex.byte($0) }.joined(separator: " ") }
}
