public import PocGateCore

/// MSA-1 acknowledgement codes (HL7 table 0008, original mode).
public enum HL7AckCode: String, Sendable, CaseIterable {
    /// Application accept: every result is stored; the device may forget the message.
    case accept = "AA"
    /// Application error: the message was read but (some of) its results could not be used,
    /// or storing them failed; the device should keep it.
    case error = "AE"
    /// Application reject: the message is not one pocgate takes (type, header).
    case reject = "AR"
}

/// Builds the acknowledgement the gateway sends for each received message, and recognises
/// one on the wire (the only bytes an HL7 session may transmit).
///
/// `MSH` with sender and receiver swapped and the received message's own encoding
/// characters, `ACK^<event>^ACK`, a control id derived from the received one, the processing
/// id and version echoed; `MSA` with the code, MSA-2 = the received MSH-10 and, for AE and AR,
/// MSA-3 = the reason; then one `ERR` per reason (ERR-2 location, ERR-3 HL7 table 0357 code,
/// ERR-4 severity `E` for AE/AR, `W` for an AA whose message had results that could not be
/// used, ERR-8 the text). The time stamp is the caller's: the
/// builder reads no clock.
public enum HL7Acknowledgement {
    /// One reason for AE or AR.
    public struct Reason: Sendable, Equatable {
        /// Where: segment id, set id (OBX-1) and field, any may be empty.
        public var segment: String
        public var sequence: String
        public var field: Int?
        /// HL7 table 0357 code: 101 required field missing, 102 data type error, 103 table
        /// value not found, 200 unsupported message type, 207 application internal error.
        public var code: Int
        public var text: String

        public init(segment: String = "", sequence: String = "", field: Int? = nil, code: Int, text: String) {
            self.segment = segment
            self.sequence = sequence
            self.field = field
            self.code = code
            self.text = text
        }

        /// The reason for a result problem.
        public init(_ problem: HL7ResultProblem) {
            switch problem {
            case .unknownCode: self.init(segment: "OBX", sequence: problem.setID, field: 3, code: 103, text: problem.description)
            case .unknownUnit: self.init(segment: "OBX", sequence: problem.setID, field: 6, code: 103, text: problem.description)
            case .badValue, .unsupportedValueType, .valueShape, .arrayWithoutLead:
                self.init(segment: "OBX", sequence: problem.setID, field: 5, code: 102, text: problem.description)
            case .noTime: self.init(segment: "OBX", sequence: problem.setID, field: 14, code: 101, text: problem.description)
            case .badTime: self.init(segment: "OBX", sequence: problem.setID, field: 14, code: 102, text: problem.description)
            case .unknownStatus: self.init(segment: "OBX", sequence: problem.setID, field: 11, code: 103, text: problem.description)
            case .incompleteBloodPressure, .waveformWithoutRate: self.init(segment: "OBR", code: 101, text: problem.description)
            }
        }

        /// The reason for a rejection.
        public init(_ rejection: HL7Rejection) {
            switch rejection {
            case .unparsable: self.init(segment: "MSH", field: 2, code: 102, text: rejection.description)
            case .unsupportedMessageType: self.init(segment: "MSH", field: 9, code: 200, text: rejection.description)
            case .noControlID: self.init(segment: "MSH", field: 10, code: 101, text: rejection.description)
            }
        }
    }

    /// The ACK payload (not yet MLLP-wrapped) for the received `payload`.
    ///
    /// - Parameters:
    ///   - payload: the received message bytes; when they do not parse, the header fields that
    ///     can be read with the default delimiters are echoed, the others left empty.
    ///   - timestamp: MSH-7 of the ACK, from the caller's clock.
    ///   - application: MSH-3 of the ACK when the received MSH-5 is empty.
    public static func build(for payload: [UInt8], code: HL7AckCode, reasons: [Reason] = [], timestamp: LocalDateTime,
                             application: String = "POCGATE") -> [UInt8] {
        let header = Header(payload)
        let enc = header.encoding
        let f = enc.field, c = enc.component
        func u(_ text: String) -> [UInt8] { Array(text.utf8) }
        var out: [UInt8] = u("MSH") + [f] + enc.characters
        let sender: [UInt8] = header.field(5).isEmpty ? u(escape(application, enc)) : header.field(5)
        let stampBytes: [UInt8] = u(stamp(timestamp))
        for part in [sender, header.field(6), header.field(3), header.field(4), stampBytes, []] {
            out.append(f)
            out += part
        }
        let event = header.event.isEmpty ? "R01" : header.event
        out.append(f)
        out += u("ACK")
        out.append(c)
        out += u(escape(event, enc))
        out.append(c)
        out += u("ACK")
        out.append(f)
        out += u(controlID(acknowledging: header.controlText, code: code))
        out.append(f)
        out += header.field(11).isEmpty ? u("P") : header.field(11)
        out.append(f)
        out += header.field(12).isEmpty ? u("2.6") : header.field(12)
        out.append(MLLPBlock.carriageReturn)
        out += u("MSA")
        out.append(f)
        out += u(code.rawValue)
        out.append(f)
        out += header.field(10)
        if code != .accept, let first = reasons.first {
            let more = reasons.count > 1 ? " (and \(reasons.count - 1) more)" : ""
            out.append(f)
            out += u(escape(first.text + more, enc))
        }
        out.append(MLLPBlock.carriageReturn)
        // AE and AR: one ERR per reason, severity E. AA with reasons: the message is stored and
        // the ERR segments (severity W, warning) name the results that could not be used.
        if !reasons.isEmpty {
            let severity = code == .accept ? "W" : "E"
            let cs = String(UnicodeScalar(c)), fs = String(UnicodeScalar(f))
            for r in reasons {
                let location = [r.segment, r.sequence, r.field.map(String.init) ?? ""].map { escape($0, enc) }.joined(separator: cs)
                let error = ["\(r.code)", escape(tableText(r.code), enc), "HL70357"].joined(separator: cs)
                let fields: [String] = ["ERR", "", location, error, severity, "", "", "", escape(r.text, enc)]
                out += u(fields.joined(separator: fs))
                out.append(MLLPBlock.carriageReturn)
            }
        }
        return out
    }

    /// The ACK's MSH-10: `A` + FNV-1a 64 (hex) of the acknowledged control id and the code.
    /// The same message acknowledged the same way gets the same id.
    public static func controlID(acknowledging received: String, code: HL7AckCode) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in received.utf8 + [0] + code.rawValue.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16, uppercase: true)
        return "A" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `YYYYMMDDHHMMSS`.
    static func stamp(_ t: LocalDateTime) -> String {
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return pad(t.year, 4) + pad(t.month, 2) + pad(t.day, 2) + pad(t.hour, 2) + pad(t.minute, 2) + pad(t.second, 2)
    }

    /// `text` with every delimiter written as its escape sequence.
    static func escape(_ text: String, _ enc: HL7Encoding) -> String {
        var out: [UInt8] = []
        for b in text.utf8 {
            switch b {
            case enc.escape: out += [enc.escape, UInt8(ascii: "E"), enc.escape]
            case enc.field: out += [enc.escape, UInt8(ascii: "F"), enc.escape]
            case enc.component: out += [enc.escape, UInt8(ascii: "S"), enc.escape]
            case enc.subcomponent: out += [enc.escape, UInt8(ascii: "T"), enc.escape]
            case enc.repetition: out += [enc.escape, UInt8(ascii: "R"), enc.escape]
            case 0x0D, 0x0A, 0x0B, 0x1C: out.append(0x20)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func tableText(_ code: Int) -> String {
        switch code {
        case 101: return "Required field missing"
        case 102: return "Data type error"
        case 103: return "Table value not found"
        case 200: return "Unsupported message type"
        default: return "Application internal error"
        }
    }

    /// Whether `bytes` are exactly one MLLP-wrapped acknowledgement as `build` makes them:
    /// the allow-list of an HL7 session's transport.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4, bytes.first == MLLPBlock.start, bytes[bytes.count - 2] == MLLPBlock.end,
              bytes.last == MLLPBlock.carriageReturn else { return false }
        let payload = Array(bytes[1..<(bytes.count - 2)])
        guard !payload.contains(MLLPBlock.start), !payload.contains(MLLPBlock.end),
              let message = try? HL7Message(parsing: payload) else { return false }
        guard message.messageType.code == "ACK", message.segments.count >= 2, message.segments[1].id == "MSA",
              HL7AckCode(rawValue: message.segments[1].text(1)) != nil else { return false }
        return message.segments.dropFirst(2).allSatisfy { $0.id == "ERR" }
    }

    /// The received header, read leniently so even a rejected message gets its fields echoed.
    struct Header {
        var encoding = HL7Encoding.standard
        var fields: [ArraySlice<UInt8>] = []
        var event = ""
        var controlText = ""

        init(_ payload: [UInt8]) {
            let line = HL7Message.firstSegment(payload)
            guard line.starts(with: Array("MSH".utf8)), line.count > 3 else { return }
            if let enc = HL7Encoding(msh: line) { encoding = enc }
            let segment = HL7Segment(line, encoding)
            fields = segment.fields
            event = segment.text(9, component: 2)
            controlText = segment.text(10)
        }

        /// Field `n` as received (escapes intact, so it is valid in the ACK's delimiters).
        func field(_ n: Int) -> [UInt8] {
            guard n < fields.count, n > 2 else { return [] }
            let f = fields[n]
            // A field from a message whose delimiters could not be read could hold a CR or an
            // MLLP byte only if the payload were broken; never echo those.
            return f.contains { $0 == 0x0D || $0 == 0x0A || $0 == MLLPBlock.start || $0 == MLLPBlock.end } ? [] : Array(f)
        }
    }
}
