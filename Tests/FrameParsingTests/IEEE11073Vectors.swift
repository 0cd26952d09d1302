import FrameParsing
import PocGateCore

/// IEEE 11073-20601 vectors. V = bytes seen in a public source (signove/antidote test APDUs,
/// quoted in the protocol notes); C = constructed here from the documented layout.
enum IEEE11073Vectors {
    static func hex(_ s: String) -> [UInt8] { Hex.parse(s)! }
    typealias A = IEEE11073AgentAPDUs

    /// V: the AARQ of a blood-pressure monitor, standard configuration 0x02BC.
    static let bpAARQ = hex("""
        E2 00 00 32 80 00 00 00 00 01 00 2A 50 79 00 26 80 00 00 00 A0 00 80 00 00 00 40 00 00 00
        00 80 00 00 00 08 11 22 33 44 55 66 77 07 02 BC 84 80 01 01 00 00 00 00
        """)

    /// V: a multiple-person fixed scan report (invoke 1, event 0x0D1F): handle 1 = 113/71/85 mmHg,
    /// handle 2 = 71 bpm, handle 3 = a value for an object 0x02BC does not define; all at
    /// 2010-07-21 15:35:53.00.
    static let bpMPFixedReport = hex("""
        E7 00 00 52 00 50 00 01 01 01 00 4A 00 00 FF FF FF FF 0D 1F 00 40 F0 00 00 01 00 01 00 38 00 42 00 03 00 32
        00 01 00 12 00 03 00 06 00 71 00 47 00 55 20 10 07 21 15 35 53 00 00 02 00 0A 00 47 20 10 07 21 15 35 53 00
        00 03 00 0A 00 00 20 10 07 21 15 35 53 00
        """)

    /// V: release request, and an abort (reason 2, response timeout).
    static let rlrq = hex("E4 00 00 02 00 00")
    static let abrt = hex("E6 00 00 02 00 02")

    static let systemID: [UInt8] = [0x00, 0x1C, 0x05, 0xFF, 0xFE, 0x00, 0x42, 0x17]
    static let morning = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 5)
    static let evening = LocalDateTime(year: 2024, month: 6, day: 15, hour: 19, minute: 2, second: 40)

    /// C: a blood-pressure session on the standard configuration: AARQ, one fixed report with
    /// both objects (120/80/93 mmHg, 64 bpm), a second with 131/85 (mean NaN: not measured)
    /// and 72 bpm, release.
    static let bpSession: [[UInt8]] = [
        A.associationRequest(configID: 0x02BC, systemID: systemID),
        A.confirmedEventReport(invokeID: 0x0010, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
            (1, hex("00 03 00 06") + A.sfloat(mantissa: 120, exponent: 0) + A.sfloat(mantissa: 80, exponent: 0)
                + A.sfloat(mantissa: 93, exponent: 0) + A.time(morning)),
            (2, A.sfloat(mantissa: 64, exponent: 0) + A.time(morning)),
        ])),
        A.confirmedEventReport(invokeID: 0x0011, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 1, [
            (1, hex("00 03 00 06") + A.sfloat(mantissa: 131, exponent: 0) + A.sfloat(mantissa: 85, exponent: 0)
                + hex("07 FF") + A.time(evening, hundredths: 50)),
            (2, A.sfloat(mantissa: 72, exponent: 0) + A.time(evening, hundredths: 50)),
        ])),
        A.releaseRequest(),
    ]

    /// C: the extended configuration of a glucose meter reporting in mmol/L (id 0x4000): one
    /// numeric object, handle 1, SFLOAT and time stamp.
    static let glucoseExtended = IEEE11073Configuration(id: 0x4000, objects: [
        .init(handle: 1, typeCode: 29112, unitCode: 4722,
              valueMap: [(attribute: 2636, length: 2), (attribute: 2448, length: 8)]),
    ])

    /// C: a glucose session with an extended configuration: AARQ (0x4000), configuration
    /// report, a fixed report with 5.6 mmol/L, a variable report with 7.25 mmol/L (FLOAT),
    /// release.
    static let glucoseSession: [[UInt8]] = [
        A.associationRequest(configID: 0x4000, systemID: systemID),
        A.confirmedEventReport(invokeID: 0x0001, eventType: 0x0D1C, info: A.configurationInfo(reportID: 0x4000, glucoseExtended)),
        A.confirmedEventReport(invokeID: 0x0002, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
            (1, hex("F0 38") + A.time(morning)),
        ])),
        A.confirmedEventReport(invokeID: 0x0003, eventType: 0x0D1E, info: A.variableScanInfo(reportNumber: 1, [
            (1, [(2646, A.float(mantissa: 725, exponent: -2)), (2448, A.time(evening))]),
        ])),
        A.releaseRequest(),
    ]

    /// C: a standard glucose meter (0x06A4, mg/dL) report of 100.0 mg/dL, written as 1000 × 10⁻¹.
    static let glucoseStandardReport = A.confirmedEventReport(invokeID: 7, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
        (1, A.sfloat(mantissa: 1000, exponent: -1) + A.time(morning)),
    ]))
}
