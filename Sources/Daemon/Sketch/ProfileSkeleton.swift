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

    /// A profile skeleton (YAML) with the findings filled in.
    public static func yaml(_ s: FrameSketch) -> String {
        var y = """
            # Profile skeleton written by `pocgate profile sketch` from a capture.
            # Every FILL-IN is something the capture cannot tell: fill it from the protocol sheet,
            # then `pocgate profile validate` and `pocgate profile test --capture`.
            id: FILL-IN-vendor-model
            version: 1
            name: FILL-IN device name
            kind: FILL-IN glucose-meter | blood-pressure-monitor | health-kiosk
            match:
              usb:
                - vendor: FILL-IN   # `pocgate devices` shows the port's USB ids
                  product: FILL-IN
            line:
              baud: FILL-IN         # the capture was taken at the baud rate pocgate capture used
            protocol: declarative

            """
        switch s.encoding {
        case .text:
            y += "# Text lines: the declarative frame language describes binary frames; text protocols\n"
            y += "# need a built-in codec (see docs/PROFILES.md, \"Text protocols\").\n"
            if let t = s.text {
                y += "# found: lines end with \(t.lineEnd == "\r\n" ? "CR LF" : t.lineEnd == "\n" ? "LF" : "CR")"
                if let c = t.checksum { y += "; \(c.family) as \(c.digits) hex digits at the line end" }
                y += "\n"
            }
        case .binary:
            y += "frame:\n"
            y += "  start: [\(s.start.map { "0x" + Hex.byte($0) }.joined(separator: ", "))]\n"
            switch s.length {
            case let .fixed(n)?:
                y += "  length: {fixed: \(n)}\n"
            case let .field(offset, size, bigEndian, adjust)?:
                y += "  length: {offset: \(offset), size: \(size)\(size > 1 ? ", endian: \(bigEndian ? "big" : "little")" : ""), adjust: \(adjust)}\n"
            case nil:
                y += "  length: FILL-IN\n"
            }
            if let m = s.endMarker {
                y += "  end: {byte: 0x\(Hex.byte(m.value)), from_end: \(m.fromEnd)}\n"
            }
            if let c = s.checksum {
                y += "  checksum:\n"
                y += "    family: \(c.family)\n"
                if c.seed != 0 { y += "    seed: 0x\(Hex.byte(c.seed))\n" }
                y += "    from: \(c.coverFrom)\n"
                y += "    to: -\(c.coverExcludesLast + 1)   # last covered byte, counted from the end (-1 = last byte)\n"
                y += "    at: -\(c.fromEnd + c.width - 1)\n"
                if c.width > 1 { y += "    endian: \(c.bigEndian ? "big" : "little")\n" }
            } else {
                y += "  checksum: FILL-IN   # none of the known families matched every frame\n"
            }
            y += "records:\n"
            if let r = s.recordTypeOffsets.first {
                for v in r.values {
                    y += "  - name: FILL-IN-record-0x\(Hex.byte(v))\n    when: {offset: \(r.offset), equals: 0x\(Hex.byte(v))}\n"
                }
            } else {
                y += "  - name: FILL-IN-record\n    when: FILL-IN\n"
            }
        }
        y += """
            fields: FILL-IN          # offset, size, type, endian, scale of each value (docs/PROFILES.md)
            readings: FILL-IN        # which field is the value, its unit, its time, its flags

            """
        return y
    }

    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { "0x" + Hex.byte($0) }.joined(separator: " ") }
}
