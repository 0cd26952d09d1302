import Foundation
import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// pocgate's HL7 path (`HL7Capture`, what `pocgate replay` and the live session run) against
/// python-hl7 (PyPI `hl7` 0.4.5), which pocgate did not write: `Tests/Harness/hl7_reference.py`
/// parses the same bytes and lists every OBX with its value, unit, status and time (OBX-14, else
/// OBR-7, read by `hl7.parse_datetime`). What a reading must be is stated from HL7 v2 itself
/// (table 0085 for OBX-11, table 0078 for OBX-8, SN for bounds), not from the decoder:
/// - every reading comes from OBX segments the reference sees, in order, and carries their
///   exact value (sign, digits and exponent), their time to the second with the same UTC
///   offset, a patient from PID-3 and the status table 0085 gives;
/// - no numeric result is lost: every OBX that holds a number with a result status became a
///   reading or is named in a problem of its message (an unknown code, unit…);
/// - no reading comes from an OBX that table 0085 says is not a result (N, O, X, D, I).
/// Skipped where `/usr/bin/python3` cannot import `hl7`.
@Suite struct HL7ReferenceAgreementTests {
    static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Harness/hl7_reference.py").path

    /// One OBX as python-hl7 reads it (the script's JSON line).
    struct ReferenceOBX: Decodable {
        let message: Int
        let patients: [String]
        let set_id, type, code, system, sub_id, value: String
        let decimal: ReferenceDecimal?
        let comparator, unit, unit_system, abnormal, status, obr_set_id: String
        let time: String?
        let offset_s: Int?
        let segment: String

        var exact: ExactDecimal? { decimal?.exact }
    }

    /// HL7 table 0085 (OBX-11): the statuses that are results, and what each is; an empty
    /// OBX-11 is taken as final (the field is required; devices leave it out).
    static let resultStatus: [String: ResultStatus] = [
        "": .final, "F": .final, "U": .final, "P": .preliminary, "R": .preliminary, "S": .preliminary,
        "C": .corrected, "W": .enteredInError,
    ]
    /// Table 0085's statuses that say there is no result.
    static let notAResult: Set<String> = ["N", "O", "X", "D", "I"]

    static let shippedCapture = ShippedAnalytes.repo + "/DeviceProfiles/generic/hl7-health-kiosk/captures/kiosk-visits.bin"

    /// A bedside monitor's PCD-01 message in the layout of the GE B40 interface manual's
    /// published examples (device, channel and metric OBX rows, OBX-4 hierarchy, OBX-11 R,
    /// OBX-18 equipment; V), then a kiosk's corrections, withdrawals, bounds, a date-only order
    /// time, a time without offset and one with a fraction (C: values and ids constructed).
    static let monitorMessages: [[String]] = [
        [
            #"MSH|^~\&|VSP^080019FFFE134535^EUI-64|CLINIC|||20240615134100+0800||ORU^R01^ORU_R01|MON0000001|P|2.6|||NE|AL||UNICODE UTF-8|||PCD_DEC_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO"#,
            "PID|||HED12^^^PID^MR||DOE^JOHN^^^^^L",
            "PV1||R|SURGERY^^V2",
            "OBR|1|080019FFFE13453520240615134100^VSP^080019FFFE134535^EUI-64|080019FFFE13453520240615134100^VSP^080019FFFE134535^EUI-64|182777000^monitoring of patient^SCT|||20240615134100+0800",
            "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X",
            "OBX|2||69854^MDC_DEV_METER_PRESS_BLD_VMD^MDC|1.13.0.0|||||||X",
            "OBX|3||69855^MDC_DEV_METER_PRESS_BLD_CHAN^MDC|1.13.1.0|||||||X",
            "OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.13.1.1|132|266016^MDC_DIM_MMHG^MDC|||||R|||20240615133955+0800||||080019FFFE134535^B40_GE",
            "OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.13.1.2|84|266016^MDC_DIM_MMHG^MDC|||||R|||20240615133955+0800||||080019FFFE134535^B40_GE",
            "OBX|6|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.13.1.3|100|266016^MDC_DIM_MMHG^MDC|||||R|||20240615133955+0800||||080019FFFE134535^B40_GE",
            "OBX|7|NM|147842^MDC_ECG_HEART_RATE^MDC|1.5.1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||||||080019FFFE134535^B40_GE",
            "OBX|8|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.4.1.1|96|262688^MDC_DIM_PERCENT^MDC|||||R|||20240615134100.25+0800",
            "OBX|9|NM|150364^MDC_TEMP_BODY^MDC|1.6.1.1||268192^MDC_DIM_DEGC^MDC|||||X",
        ],
        [
            #"MSH|^~\&|HK-7000^00A0C9FFFE123456^EUI-64|TOWNSHIP CLINIC|POCGATE||20240615141205+0800||ORU^R01^ORU_R01|HK0000009|P|2.6|||NE|AL"#,
            "PID|1||A123^^^CLINIC^MR~440305197508220031^^^CHN^NNCHN||Test^Second",
            "OBR|1|||85354-9^Blood pressure panel^LN|||202406151405+0800",
            "OBX|1|NM|8480-6^Systolic blood pressure^LN||131|mm[Hg]^mm[Hg]^UCUM||H|||C",
            "OBX|2|NM|8462-4^Diastolic blood pressure^LN||85|mm[Hg]^mm[Hg]^UCUM||H|||C",
            "OBX|3|NM|8867-4^Heart rate^LN||71|/min^/min^UCUM|||||W",
            "OBR|2|||BLOOD^Fingerstick panel^L|||20240615",
            "OBX|1|NM|14743-9^Glucose^LN||5.6|mmol/L^mmol/L^UCUM|||||P",
            "OBX|2|SN|14743-9^Glucose^LN||<^1.1|mmol/L^mmol/L^UCUM||<|||F|||202406151410+0800",
            "OBX|3|NM|2093-3^Cholesterol^LN||180|mg/dL^mg/dL^UCUM|||||N",
            "OBX|4|NM|14933-6^Urate^LN||510|umol/L^umol/L^UCUM||H|||F|||20240615141000.5",
            "OBX|5|NM|14647-2^Cholesterol^LN||-0.0|mmol/L^mmol/L^UCUM|||||F",
        ],
    ]

    @Test(.enabled(if: PythonCheck.has("hl7")))
    func theShippedKioskCaptureAgreesWithPythonHL7() throws {
        try agree(Array(try Data(contentsOf: URL(fileURLWithPath: Self.shippedCapture))))
    }

    @Test(.enabled(if: PythonCheck.has("hl7")))
    func theTestFixturesAgreeWithPythonHL7() throws {
        let monitor = [HL7Fixtures.msh("VS0000001"), "PID|1||\(HL7Fixtures.patient)^^^CHN^NNCHN"] + HL7StandardMeaningTests.monitor
        let messages = [HL7Fixtures.kioskSegments, monitor] + Self.monitorMessages
        try agree(messages.flatMap { MLLPBlock.wrap(HL7Fixtures.message($0)) })
    }

    func agree(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let obxs = try PythonCheck.jsonLines(of: Self.harness, on: bytes, as: ReferenceOBX.self)
        let decoded = HL7Capture.decodeCapture(bytes, profileID: "generic-hl7-health-kiosk", analytes: ShippedAnalytes.table)
        try #require(!obxs.isEmpty && !decoded.readings.isEmpty, sourceLocation: sourceLocation)
        var used = Set<Int>()
        var message = 1
        for reading in decoded.readings {
            var rows: [ReferenceOBX] = []
            for segment in String(decoding: reading.raw, as: UTF8.self).split(separator: "\r").map(String.init) {
                guard let i = obxs.indices.first(where: { !used.contains($0) && obxs[$0].message >= message && obxs[$0].segment == segment })
                else {
                    Issue.record("reading \(reading.recordKey): '\(segment)' is not an OBX python-hl7 sees", sourceLocation: sourceLocation)
                    continue
                }
                used.insert(i)
                rows.append(obxs[i])
                message = obxs[i].message
            }
            check(reading, rows, sourceLocation)
        }
        for (i, obx) in obxs.enumerated() where !used.contains(i) {
            guard obx.exact != nil, Self.resultStatus[obx.status] != nil else { continue }
            let named = decoded.problems.contains {
                $0.hasPrefix("message \(obx.message): OBX \(obx.set_id):") || $0.hasPrefix("message \(obx.message): OBR \(obx.obr_set_id):")
            }
            #expect(named, "message \(obx.message): '\(obx.segment)' holds a result but is neither a reading nor a problem: \(decoded.problems)",
                    sourceLocation: sourceLocation)
        }
    }

    func check(_ reading: Reading, _ rows: [ReferenceOBX], _ sourceLocation: SourceLocation) {
        guard let first = rows.first else { return }
        let what = "reading \(reading.kind.rawValue) from '\(first.segment)'"
        let values = reading.components.isEmpty ? [reading.value] : reading.components.map(\.value)
        #expect(values.count == rows.count, "\(what): \(values.count) values from \(rows.count) OBX", sourceLocation: sourceLocation)
        for (value, row) in zip(values, rows) {
            #expect(value == row.exact, "\(what): value \(value) where python-hl7 reads '\(row.value)'", sourceLocation: sourceLocation)
            #expect(!Self.notAResult.contains(row.status), "\(what): OBX-11 '\(row.status)' is not a result", sourceLocation: sourceLocation)
        }
        #expect(reading.deviceTime.description == first.time, "\(what): time \(reading.deviceTime) where python-hl7 reads \(first.time ?? "none")",
                sourceLocation: sourceLocation)
        #expect(reading.utcOffsetSeconds == first.offset_s, "\(what): UTC offset \(String(describing: reading.utcOffsetSeconds)) where python-hl7 reads \(String(describing: first.offset_s))",
                sourceLocation: sourceLocation)
        if let patient = reading.patientID {
            let residentShaped = first.patients.first { $0.count == 18 && $0.dropLast().allSatisfy(\.isNumber) }
            #expect(patient == (residentShaped ?? first.patients.first), "\(what): patient from PID-3 \(first.patients)", sourceLocation: sourceLocation)
        } else {
            #expect(first.patients.isEmpty, "\(what): PID-3 \(first.patients) was not carried", sourceLocation: sourceLocation)
        }
        if rows.count == 1 {
            #expect(reading.status == Self.resultStatus[first.status], "\(what): status \(reading.status) for OBX-11 '\(first.status)'", sourceLocation: sourceLocation)
        } else {
            #expect(rows.allSatisfy { Self.resultStatus[$0.status] != nil }, "\(what)", sourceLocation: sourceLocation)
        }
        for row in rows {
            if row.unit_system == "UCUM" {
                #expect(reading.components.isEmpty ? reading.unit == row.unit : reading.components.allSatisfy { $0.unit == row.unit },
                        "\(what): unit \(reading.unit) where OBX-6 is UCUM '\(row.unit)'", sourceLocation: sourceLocation)
            }
            // Table 0078 (OBX-8) and the SN comparator: what the device said about the value.
            let expected: [(Bool, ReadingFlag)] = [
                (row.abnormal == "H", .abnormalHigh), (row.abnormal == "L", .abnormalLow),
                (row.comparator == ">" || row.comparator == ">=", .aboveRange), (row.comparator == "<" || row.comparator == "<=", .belowRange),
            ]
            for (said, flag) in expected where said {
                #expect(reading.flags.contains(flag), "\(what): OBX-8 '\(row.abnormal)' / SN '\(row.comparator)' without \(flag.rawValue)",
                        sourceLocation: sourceLocation)
            }
        }
    }
}
