public import PocGateCore

/// Which layout a sender's result records follow.
public enum ASTMDialect: String, Sendable, Equatable {
    /// E1394 as written: abnormal flags in field 7, times in fields 12/13, order action code
    /// `Q` for a quality-control specimen.
    case e1394
    /// Bayer/Ascensia Contour (a header sender beginning `Bayer`): markers `/`-separated in
    /// field 7 (`>` `<` `B` `A` `C` …), the time in field 9, or `E` in field 9 and the time in
    /// field 12 on older meters.
    case contour
}

/// What one record told the transfer.
public enum ASTMTransferEvent: Sendable, Equatable {
    case header
    case patient
    case order
    case result(Reading)
    /// A result record whose status says it is not a result (R.9 `X`, `I`, `N`).
    case notAResult
    case problem(ASTMProblem)
    case terminator
    /// Comment, manufacturer and other records: nothing to keep.
    case other
}

/// Turns the E1394 records of a message (H, P, O, R, C, L) into readings, keeping the header's
/// delimiters and identity, the current patient and the current order.
public struct ASTMTransfer: Sendable {
    /// The model written into readings when the header names none.
    public static let unknownModel = "ASTM device"

    public let profileID: String
    /// The analytes the profile's tables map (names → LOINC + UCUM, plausible ranges).
    public let analytes: AnalyteTable
    /// The sender's character set.
    public let charset: ASTMCharset
    public private(set) var delimiters = ASTMDelimiters.standard
    public private(set) var dialect = ASTMDialect.e1394
    /// Sender serial (header field 5, component 3).
    public private(set) var serial: String?
    /// Sender name (header field 5, component 1).
    public private(set) var model: String?
    /// The device clock (header field 14).
    public private(set) var clock: LocalDateTime?
    /// The patient of the results that follow (P field 3, else 4, else 5).
    public private(set) var patientID: String?
    /// Contour measuring range from the header's `V=` setting (low 2 digits, high 3).
    public private(set) var measuringRange: (low: ExactDecimal, high: ExactDecimal)?
    /// Result records seen since the last header.
    public private(set) var resultsSeen = 0
    var orderTime: LocalDateTime?
    var orderIsControl = false
    /// The last patient record was not valid text: its results have no patient to go with.
    var patientUnreadable = false
    /// How often each result (time, analyte, value, unit, flags, status) occurred since the
    /// header: the last part of the record key.
    var occurrenceCounts: [ASTMResultKey: Int] = [:]
    /// Field offsets of the record being read (reused).
    var fieldIndex = ASTMFieldIndex()
    /// Analyte and unit look-ups by the sender's text; carried from transfer to transfer.
    var lookups = ASTMLookups()
    /// The buffer record keys and identities are written into (reused).
    var scratch: [UInt8] = []
    /// `HL7ORU.digest` of `digestedPatient`, computed once per patient.
    var patientDigest: String?
    var digestedPatient: String?

    public init(profileID: String, analytes: AnalyteTable, charset: ASTMCharset = .utf8) {
        self.profileID = profileID
        self.analytes = analytes
        self.charset = charset
    }

    /// Takes one record's text (without CR).
    public mutating func consume(_ received: [UInt8]) -> ASTMTransferEvent {
        guard let type = received.first else { return .other }
        guard let text = charset.utf8(received) else {
            // A patient record that cannot be read must not leave the previous patient in place.
            if type == UInt8(ascii: "P") { patientID = nil; patientUnreadable = true }
            return type == UInt8(ascii: "R") || type == UInt8(ascii: "P") || type == UInt8(ascii: "H")
                ? .problem(.invalidText(charset: charset.rawValue, record: String(UnicodeScalar(type)))) : .other
        }
        switch type {
        case UInt8(ascii: "H"): return header(text)
        case UInt8(ascii: "P"):
            if Self.isASCII(text) {
                patientID = asciiPatient(text)
            } else {
                let r = ASTMRecord(text, delimiters: delimiters)
                patientID = [3, 4, 5].lazy.map { r.text($0).trimmed }.first { !$0.isEmpty }
            }
            patientUnreadable = false
            orderTime = nil
            orderIsControl = false
            return .patient
        case UInt8(ascii: "O"):
            if Self.isASCII(text) {
                asciiOrder(text)
            } else {
                let r = ASTMRecord(text, delimiters: delimiters)
                orderTime = Self.time(r.text(8)) ?? Self.time(r.text(7))
                orderIsControl = r.text(12).trimmed == "Q"
            }
            return .order
        case UInt8(ascii: "R"):
            resultsSeen += 1
            if patientUnreadable { return .problem(.invalidText(charset: charset.rawValue, record: "P")) }
            let answer: Result<Reading, ASTMProblem>?
            if Self.isASCII(received) {
                answer = asciiResult(received)
            } else {
                var record = ASTMRecord(text, delimiters: delimiters)
                record.raw = received
                answer = result(record)
            }
            switch answer {
            case let .success(reading): return .result(reading)
            case let .failure(problem): return .problem(problem)
            case nil: return .notAResult
            }
        case UInt8(ascii: "L"):
            patientID = nil
            patientUnreadable = false
            orderTime = nil
            orderIsControl = false
            return .terminator
        default:
            return .other
        }
    }

    private mutating func header(_ text: [UInt8]) -> ASTMTransferEvent {
        guard let d = ASTMDelimiters(header: text) else {
            return .problem(.badHeader(String(decoding: text.prefix(40), as: UTF8.self)))
        }
        delimiters = d
        // Only fields 5, 6 and 14 are read: found in the raw fields, not split into a record.
        let fields = ASTMRecord.rawFields(of: text, delimiters: d)
        func field(_ n: Int) -> ArraySlice<UInt8> { n <= fields.count ? fields[n - 1] : [] }
        let sender = ASTMRecord.componentsIgnoringRepeats(of: field(5), delimiters: d).map(\.trimmed)
        model = sender.first.flatMap { $0.isEmpty ? nil : $0 }
        serial = sender.count >= 3 && !sender[2].isEmpty ? sender[2] : nil
        dialect = model?.hasPrefix("Bayer") == true ? .contour : .e1394
        clock = Self.time(String(decoding: ASTMRecord.repeats(of: field(14), delimiters: d).first?.first ?? [], as: UTF8.self))
        measuringRange = nil
        if dialect == .contour {
            for setting in ASTMRecord.repeats(of: field(6), delimiters: d).first ?? [] {
                let s = String(decoding: setting, as: UTF8.self)
                if s.hasPrefix("V="), s.count == 7, let low = Int(s.dropFirst(2).prefix(2)), let high = Int(s.suffix(3)) {
                    measuringRange = (ExactDecimal(low), ExactDecimal(high))
                }
            }
        }
        patientID = nil
        orderTime = nil
        orderIsControl = false
        occurrenceCounts = [:]
        resultsSeen = 0
        return .header
    }

    /// `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, or nil.
    static func time(_ text: String) -> LocalDateTime? {
        let d = Array(text.trimmed.utf8)
        guard d.count == 12 || d.count == 14, d.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        func n(_ at: Int, _ len: Int) -> Int { d[at..<(at + len)].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let t = LocalDateTime(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2),
                              second: d.count == 14 ? n(12, 2) : 0)
        return t.isValid ? t : nil
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmed: String {
        // Neither end is a space byte, so neither end is the character " ": nothing to trim.
        if utf8.first != 0x20 && utf8.last != 0x20 { return self }
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
