import Foundation
import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// pocgate's ASTM path (`ASTMTransfer.decodeCapture`, what `pocgate replay` and the live
/// session run) against PyPI `astm-2025` 1.0.0, which pocgate did not write:
/// `Tests/Harness/astm_reference.py` takes the same bytes through E1381's frame rules
/// (checksums by `astm.codec.make_checksum`) and lists every result record as
/// `astm.codec.decode_record` splits it, its fields named by `astm.records`' layouts. What a
/// reading must be is stated from E1394 itself, not from the decoder:
/// - every reading is a result record the reference sees, in order, with its exact value
///   (sign, digits and exponent), the unit of R-5, the time the test was completed (R-13, else
///   R-12, else the order's specimen collection time O-8), the first patient id of P-3…P-5,
///   and the status R-9 gives (E1394 result status codes);
/// - no numeric result is lost: every result record with a number and a result status became a
///   reading or is named in a problem;
/// - no reading comes from R-9 X (cannot be done), I (pending) or N (new order information).
/// The Contour dialect writes the result time in R-9 and has no status there (Ascensia's
/// published Contour communication notes; glucometerutils reads it the same way).
/// Skipped where `/usr/bin/python3` cannot import `astm`.
@Suite struct ASTMReferenceAgreementTests {
    static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Harness/astm_reference.py").path

    /// One result record as astm-2025 reads it (the script's JSON line).
    struct ReferenceResult: Decodable {
        let record, sender: String
        let patient, test, abnormal: [String]
        let value, comparator, unit, status, status_as_time, started, completed, order_time: String
        let decimal: ReferenceDecimal?
    }

    /// E1394 result status (R-9): what each code that carries a result is; W (validity
    /// questionable) is a result the device warns about.
    static let resultStatus: [String: ResultStatus] = [
        "": .final, "F": .final, "R": .final, "V": .final, "Q": .final, "M": .final, "W": .final,
        "P": .preliminary, "S": .preliminary, "C": .corrected,
    ]
    static let notAResult: Set<String> = ["X", "I", "N"]

    /// An analyzer's transfer written from E1394's record layouts (C: values constructed): a
    /// patient known only by the laboratory's id (P-4), an order with a request time (O-7)
    /// and a collection time (O-8), results without a completion time, with only a start time,
    /// a leading '+', HH / LL / '>' flags, each result status, an analyte no table names and a
    /// value that is not a number.
    static let records = [
        #"H|\^&|||POCT-9^1.0^SN-77|||||||P|1|20240615100000"#,
        "P|1||LAB-77||Doe^Jane",
        #"O|1|S77||^^^GLU\^^^TC|R|20240615095500|20240615095800"#,
        "R|1|^^^GLU|+5.6|mmol/L||N||P",
        "R|2|^^^TC|6.80|mmol/L||HH||C|||20240615100100",
        "R|3|^^^TG|2.1|mmol/L||LL||X||||20240615100200",
        "R|4|^^^UA|>600|umol/L||>||F||||20240615100300",
        "R|5|^^^GLU|4.4|mmol/L||N||W||||20240615100400",
        "R|6|^^^TG|0.35|mmol/L||L||S||||20240615100500",
        "R|7|^^^XYZ|12|mmol/L||N||F||||20240615100600",
        "R|8|^^^GLU|n/a|mmol/L||N||F||||20240615100700",
        "R|9|^^^GLU|7.2|mmol/L||N||I||||20240615100800",
        "L|1|N",
    ]

    /// E1381 framing of `records`, one record a frame: STX, frame number (1…7, 0…), text, CR,
    /// ETX, the two hex digits of the modulo-256 sum of the bytes after STX up to ETX, CR LF.
    static func transfer(_ records: [String]) -> [UInt8] {
        var out: [UInt8] = [0x05]
        for (i, record) in records.enumerated() {
            let body = Array("\((i + 1) % 8)\(record)\r".utf8) + [0x03]
            let sum = body.reduce(0) { ($0 + Int($1)) & 0xFF }
            out += [0x02] + body + Array(String(format: "%02X", sum).utf8) + [0x0D, 0x0A]
        }
        return out + [0x04]
    }

    static func shipped(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: ShippedAnalytes.repo + "/DeviceProfiles/" + path)))
    }

    @Test(.enabled(if: PythonCheck.has("astm")))
    func theShippedPOCTCaptureAgreesWithAstm2025() throws {
        try agree(try Self.shipped("generic/astm-poct/captures/transfer.bin"), contour: false)
    }

    @Test(.enabled(if: PythonCheck.has("astm")))
    func theShippedContourCaptureAgreesWithAstm2025() throws {
        try agree(try Self.shipped("ascensia/contour/captures/transfer.bin"), contour: true)
    }

    @Test(.enabled(if: PythonCheck.has("astm")))
    func aTransferOfEveryStatusAgreesWithAstm2025() throws {
        let decoded = try agree(Self.transfer(Self.records), contour: false)
        #expect(decoded.readings.count == 5, "R|1, 2, 4, 5 and 6: \(decoded.readings.map(\.recordKey))")
        #expect(decoded.readings.first { $0.status == .final && $0.value == ExactDecimal(mantissa: 44, scale: 1) }?.valueHold == .deviceWarning,
                "W: stored, held for a person")
    }

    @discardableResult
    func agree(_ bytes: [UInt8], contour: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws -> DecodedCapture {
        let results = try PythonCheck.jsonLines(of: Self.harness, on: bytes, as: ReferenceResult.self)
        let decoded = ASTMTransfer.decodeCapture(bytes, profileID: "astm", analytes: ShippedAnalytes.table)
        try #require(!results.isEmpty && !decoded.readings.isEmpty, sourceLocation: sourceLocation)
        var next = 0
        var used = Set<Int>()
        for reading in decoded.readings {
            let record = String(decoding: reading.raw, as: UTF8.self)
            guard let i = results.indices.first(where: { $0 >= next && results[$0].record == record }) else {
                Issue.record("reading \(reading.recordKey): '\(record)' is not a result record astm-2025 sees", sourceLocation: sourceLocation)
                continue
            }
            next = i + 1
            used.insert(i)
            check(reading, results[i], contour: contour, sourceLocation)
        }
        for (i, result) in results.enumerated() where !used.contains(i) {
            guard result.decimal != nil, contour || Self.resultStatus[result.status] != nil else { continue }
            let test = result.test.last { !$0.isEmpty } ?? ""
            #expect(decoded.problems.contains { $0.contains(result.record) || $0.contains(test) },
                    "'\(result.record)' holds a result but is neither a reading nor a problem: \(decoded.problems)", sourceLocation: sourceLocation)
        }
        return decoded
    }

    func check(_ reading: Reading, _ result: ReferenceResult, contour: Bool, _ sourceLocation: SourceLocation) {
        let what = "reading from '\(result.record)'"
        #expect(reading.value == result.decimal?.exact, "\(what): value \(reading.value) where astm-2025 reads '\(result.value)'",
                sourceLocation: sourceLocation)
        #expect(reading.unit == result.unit, "\(what): unit \(reading.unit) where R-5 is '\(result.unit)'", sourceLocation: sourceLocation)
        let time = contour ? result.status_as_time
            : [result.completed, result.started, result.order_time].first { !$0.isEmpty } ?? ""
        #expect(reading.deviceTime.description == time, "\(what): time \(reading.deviceTime) where the record says \(time)",
                sourceLocation: sourceLocation)
        #expect(reading.patientID == result.patient.first { !$0.isEmpty }, "\(what): patient from P-3…P-5 \(result.patient)",
                sourceLocation: sourceLocation)
        if !contour {
            #expect(!Self.notAResult.contains(result.status), "\(what): R-9 '\(result.status)' is not a result", sourceLocation: sourceLocation)
            #expect(reading.status == Self.resultStatus[result.status], "\(what): status \(reading.status) for R-9 '\(result.status)'",
                    sourceLocation: sourceLocation)
            #expect((reading.valueHold == .deviceWarning) == (result.status == "W"), "\(what): R-9 W is held, nothing else",
                    sourceLocation: sourceLocation)
            let said: [(Bool, ReadingFlag)] = [
                (result.abnormal.contains { $0 == "H" || $0 == "HH" }, .abnormalHigh),
                (result.abnormal.contains { $0 == "L" || $0 == "LL" }, .abnormalLow),
            ]
            for (flagged, flag) in said where flagged {
                #expect(reading.flags.contains(flag), "\(what): R-7 \(result.abnormal) without \(flag.rawValue)", sourceLocation: sourceLocation)
            }
        }
        if result.comparator == ">" || result.abnormal.contains(">") {
            #expect(reading.flags.contains(.aboveRange), "\(what): above the measuring range without 'hi'", sourceLocation: sourceLocation)
        }
        if result.comparator == "<" || result.abnormal.contains("<") {
            #expect(reading.flags.contains(.belowRange), "\(what): below the measuring range without 'lo'", sourceLocation: sourceLocation)
        }
    }
}
