import Testing
import FrameParsing
import PocGateCore

/// The manager's decisions and answers for the standard-derived vectors.
@Suite struct IEEE11073ManagerTests {
    typealias V = IEEE11073Vectors
    typealias A = IEEE11073AgentAPDUs

    static func apdu(_ bytes: [UInt8]) -> IEEE11073APDU {
        var stream = FrameStream(IEEE11073APDUDecoder())
        stream.append(bytes)
        return stream.next()!
    }

    /// C: the AARE pocgate sends, accepted, and accepted-unknown-config.
    static let aareAccepted = V.hex("""
        E3 00 00 2C 00 00 50 79 00 26 80 00 00 00 80 00 80 00 00 00 00 00 00 00 80 00 00 00
        00 08 02 50 4F 43 47 41 54 45 00 00 00 00 00 00 00 00 00 00
        """)

    @Test func responsesAreByteExact() {
        #expect(IEEE11073Response.associationResponse(.accepted) == Self.aareAccepted)
        var unknown = Self.aareAccepted
        unknown[5] = 0x03
        #expect(IEEE11073Response.associationResponse(.acceptedUnknownConfig) == unknown)
        // V: the AARE's first ten bytes as a published manager sends them (result 3).
        #expect(Array(unknown[0..<10]) == V.hex("E3 00 00 2C 00 03 50 79 00 26"))
        #expect(IEEE11073Response.releaseResponse() == V.hex("E5 00 00 02 00 00"))
        #expect(IEEE11073Response.eventReportResult(invokeID: 1, objectHandle: 0, eventType: 0x0D1F)
                == V.hex("E7 00 00 12 00 10 00 01 02 01 00 0A 00 00 00 00 00 00 0D 1F 00 00"))
        #expect(IEEE11073Response.configurationResult(invokeID: 0x0001, reportID: 0x4000, result: .acceptedConfig)
                == V.hex("E7 00 00 16 00 14 00 01 02 01 00 0E 00 00 00 00 00 00 0D 1C 00 04 40 00 00 00"))
    }

    @Test func bloodPressureStandardConfiguration() {
        var m = IEEE11073Manager(profileID: "bp")
        let assoc = m.consume(Self.apdu(V.bpAARQ))
        #expect(assoc.associated && assoc.problems.isEmpty)
        #expect(assoc.responses == [Self.aareAccepted])
        #expect(m.state == .operating)
        #expect(m.serial == "1122334455667707")
        #expect(m.model == "11073 blood pressure monitor (config 02BC)")

        let report = m.consume(Self.apdu(V.bpMPFixedReport))
        #expect(report.responses == [V.hex("E7 00 00 12 00 10 00 01 02 01 00 0A 00 00 00 00 00 00 0D 1F 00 00")])
        #expect(report.readings.count == 2)
        let bp = report.readings[0], pulse = report.readings[1]
        let time = LocalDateTime(year: 2010, month: 7, day: 21, hour: 15, minute: 35, second: 53)
        #expect(bp.kind == .bloodPressure && bp.unit == "mm[Hg]" && bp.code == "85354-9" && bp.value == ExactDecimal(113))
        #expect(bp.components.map(\.kind) == [.systolicPressure, .diastolicPressure, .meanPressure])
        #expect(bp.components.map(\.value) == [ExactDecimal(113), ExactDecimal(71), ExactDecimal(85)])
        #expect(bp.components.map(\.code) == ["8480-6", "8462-4", "8478-0"])
        #expect(bp.deviceTime == time && pulse.deviceTime == time)
        #expect(pulse.kind == .heartRate && pulse.unit == "/min" && pulse.value == ExactDecimal(71) && pulse.code == "8867-4")
        #expect(bp.deviceSerial == "1122334455667707")
        #expect(bp.recordKey == "18948|66|2010-07-21T15:35:53.00|113/71/85|mm[Hg]|0")
        // Handle 3 is not in configuration 0x02BC: a problem, not a guess.
        #expect(report.problems.count == 1 && report.problems[0].why.contains("handle 3"))
        #expect(report.observations == 3)

        let release = m.consume(Self.apdu(V.rlrq))
        #expect(release.released && release.responses == [IEEE11073Response.releaseResponse()])
        #expect(m.state == .unassociated)
    }

    @Test func glucoseExtendedConfigurationIsAskedForThenUsed() {
        var m = IEEE11073Manager(profileID: "glu")
        var steps = V.glucoseSession.map { m.consume(Self.apdu($0)) }
        #expect(steps[0].responses == [IEEE11073Response.associationResponse(.acceptedUnknownConfig)])
        #expect(steps[1].responses == [IEEE11073Response.configurationResult(invokeID: 1, reportID: 0x4000, result: .acceptedConfig)])
        #expect(steps[2].responses == [IEEE11073Response.eventReportResult(invokeID: 2, objectHandle: 0, eventType: 0x0D1D)])
        #expect(steps[3].responses == [IEEE11073Response.eventReportResult(invokeID: 3, objectHandle: 0, eventType: 0x0D1E)])
        #expect(steps[4].released)
        let readings = steps.flatMap(\.readings)
        #expect(readings.map(\.value) == [ExactDecimal(parsing: "5.6")!, ExactDecimal(parsing: "7.25")!])
        #expect(readings.allSatisfy { $0.kind == .glucose && $0.unit == "mmol/L" && $0.code == "14743-9" })
        #expect(readings.map(\.deviceTime) == [V.morning, V.evening])
        #expect(steps.allSatisfy { $0.problems.isEmpty })

        // The same agent again: its configuration is remembered, so it is accepted at once.
        steps = [m.consume(Self.apdu(V.glucoseSession[0]))]
        #expect(steps[0].responses == [IEEE11073Response.associationResponse(.accepted)])
        #expect(m.consume(Self.apdu(V.glucoseSession[2])).readings.count == 1)
    }

    @Test func glucoseStandardConfigurationInMilligrams() {
        var m = IEEE11073Manager(profileID: "glu")
        _ = m.consume(Self.apdu(A.associationRequest(configID: 0x06A4, systemID: V.systemID)))
        let step = m.consume(Self.apdu(V.glucoseStandardReport))
        #expect(step.readings.map(\.value) == [ExactDecimal(mantissa: 1000, scale: 1)])
        #expect(step.readings.first?.unit == "mg/dL" && step.readings.first?.code == "41653-7")
        #expect(step.readings.first?.deviceSerial == "001C05FFFE004217")
    }

    @Test func weighingScaleAndOximeterStandardConfigurations() {
        var scale = IEEE11073Manager(profileID: "scale")
        _ = scale.consume(Self.apdu(A.associationRequest(configID: 0x05DC, systemID: V.systemID)))
        let weight = scale.consume(Self.apdu(A.confirmedEventReport(invokeID: 1, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
            (1, A.float(mantissa: 7285, exponent: -2) + A.time(V.morning)),
        ]))))
        #expect(weight.readings.map(\.value) == [ExactDecimal(parsing: "72.85")!])
        #expect(weight.readings.first?.kind == .bodyWeight && weight.readings.first?.unit == "kg")

        // Variable report with height and BMI objects of an extended scale configuration.
        var bcm = IEEE11073Manager(profileID: "scale")
        _ = bcm.consume(Self.apdu(A.associationRequest(configID: 0x4100, systemID: V.systemID)))
        let config = IEEE11073Configuration(id: 0x4100, objects: [
            .init(handle: 1, typeCode: 57664, unitCode: 1731, valueMap: []),
            .init(handle: 2, typeCode: 57668, unitCode: 1297, valueMap: []),
            .init(handle: 3, typeCode: 57680, unitCode: 1952, valueMap: []),
        ])
        _ = bcm.consume(Self.apdu(A.confirmedEventReport(invokeID: 1, eventType: 0x0D1C, info: A.configurationInfo(reportID: 1, config))))
        let body = bcm.consume(Self.apdu(A.confirmedEventReport(invokeID: 2, eventType: 0x0D1E, info: A.variableScanInfo(reportNumber: 0, [
            (2, [(2646, A.float(mantissa: 1745, exponent: -1)), (2448, A.time(V.morning))]),
            (3, [(2646, A.float(mantissa: 239, exponent: -1)), (2448, A.time(V.morning))]),
        ]))))
        #expect(body.readings.map(\.kind) == [.bodyHeight, .bmi])
        #expect(body.readings.map(\.unit) == ["cm", "kg/m2"])
        #expect(body.readings.map(\.value) == [ExactDecimal(parsing: "174.5")!, ExactDecimal(parsing: "23.9")!])

        // Oximeter 0x0190: values without a time stamp cannot be dated, so they are problems.
        var ox = IEEE11073Manager(profileID: "ox")
        _ = ox.consume(Self.apdu(A.associationRequest(configID: 0x0190, systemID: V.systemID)))
        let spo2 = ox.consume(Self.apdu(A.confirmedEventReport(invokeID: 1, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
            (1, A.sfloat(mantissa: 97, exponent: 0)), (10, A.sfloat(mantissa: 65, exponent: 0)),
        ]))))
        #expect(spo2.readings.isEmpty && spo2.problems.count == 2)
        #expect(spo2.problems.allSatisfy { $0.why.contains("no absolute time stamp") })
        // The report is still answered: the problems are logged with their raw bytes.
        #expect(spo2.responses.count == 1)
        let dated = ox.consume(Self.apdu(A.confirmedEventReport(invokeID: 2, eventType: 0x0D1E, info: A.variableScanInfo(reportNumber: 1, [
            (1, [(2636, A.sfloat(mantissa: 97, exponent: 0)), (2448, A.time(V.morning))]),
            (10, [(2636, A.sfloat(mantissa: 65, exponent: 0)), (2448, A.time(V.morning))]),
        ]))))
        #expect(dated.readings.map(\.kind) == [.oxygenSaturation, .heartRate])
        #expect(dated.readings.map(\.unit) == ["%", "/min"])
    }

    @Test func specialValuesAreProblemsNotReadings() {
        var m = IEEE11073Manager(profileID: "glu")
        _ = m.consume(Self.apdu(A.associationRequest(configID: 0x06A4, systemID: V.systemID)))
        for raw: [UInt8] in [[0x07, 0xFF], [0x08, 0x00], [0x07, 0xFE], [0x08, 0x02]] {
            let step = m.consume(Self.apdu(A.confirmedEventReport(invokeID: 9, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
                (1, raw + A.time(V.morning)),
            ]))))
            #expect(step.readings.isEmpty)
            #expect(step.problems.count == 1 && step.problems[0].why.contains("not a reading"))
        }
        // A compound whose systolic is NRes is not a blood-pressure reading either.
        var bp = IEEE11073Manager(profileID: "bp")
        _ = bp.consume(Self.apdu(V.bpAARQ))
        let step = bp.consume(Self.apdu(A.confirmedEventReport(invokeID: 3, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
            (1, V.hex("00 03 00 06 08 00 00 50 00 5D") + A.time(V.morning)),
        ]))))
        #expect(step.readings.isEmpty && step.problems.count == 1)
    }

    @Test func theMeanPressureMayBeNotMeasured() {
        var m = IEEE11073Manager(profileID: "bp")
        let readings = V.bpSession.flatMap { m.consume(Self.apdu($0)).readings }
        #expect(readings.count == 4)
        #expect(readings[2].components.map(\.kind) == [.systolicPressure, .diastolicPressure])
        #expect(readings[2].value == ExactDecimal(131))
        #expect(Set(readings.map(\.recordKey)).count == 4)
    }

    @Test func identicalMeasurementsKeepDistinctKeys() {
        var m = IEEE11073Manager(profileID: "glu")
        _ = m.consume(Self.apdu(A.associationRequest(configID: 0x06A4, systemID: V.systemID)))
        let a = m.consume(Self.apdu(V.glucoseStandardReport)).readings
        let b = m.consume(Self.apdu(V.glucoseStandardReport)).readings
        #expect(a[0].recordKey.hasSuffix("|0") && b[0].recordKey.hasSuffix("|1"))
        #expect(a[0].recordKey.dropLast() == b[0].recordKey.dropLast())
    }

    @Test func unsupportedOrOutOfOrderMessagesAreNotAnswered() {
        var m = IEEE11073Manager(profileID: "x")
        // A report before any association: not answered.
        #expect(m.consume(Self.apdu(V.glucoseStandardReport)).responses.isEmpty)
        // An AARQ without MDER is refused.
        var perOnly = A.associationRequest(configID: 0x06A4, systemID: V.systemID)
        perOnly[20] = 0x20
        #expect(m.consume(Self.apdu(perOnly)).responses == [IEEE11073Response.associationResponse(.rejectedPermanent)])
        // An unknown event type (segment data) is not acknowledged: the agent keeps its data.
        _ = m.consume(Self.apdu(A.associationRequest(configID: 0x06A4, systemID: V.systemID)))
        let segment = m.consume(Self.apdu(A.confirmedEventReport(invokeID: 5, eventType: 3361, info: [0, 0])))
        #expect(segment.responses.isEmpty && segment.problems.count == 1)
        // A truncated scan report is not acknowledged either.
        let truncated = m.consume(Self.apdu(A.confirmedEventReport(invokeID: 6, eventType: 0x0D1D, info: [0xF0, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x40])))
        #expect(truncated.responses.isEmpty && truncated.problems.count == 1)
        // An abort ends the association without an answer.
        let abort = m.consume(Self.apdu(V.abrt))
        #expect(abort.aborted == 2 && abort.responses.isEmpty && m.state == .unassociated)
    }

    @Test func theManagerCanSendOnlyAnswers() {
        #expect(IEEE11073Response.mayTransmit(IEEE11073Response.associationResponse(.accepted)))
        #expect(IEEE11073Response.mayTransmit(IEEE11073Response.associationResponse(.acceptedUnknownConfig)))
        #expect(IEEE11073Response.mayTransmit(IEEE11073Response.releaseResponse()))
        #expect(IEEE11073Response.mayTransmit(IEEE11073Response.eventReportResult(invokeID: 1, objectHandle: 0, eventType: 0x0D1D)))
        #expect(IEEE11073Response.mayTransmit(IEEE11073Response.configurationResult(invokeID: 1, reportID: 1, result: .acceptedConfig)))
        // Requests of any kind, agent APDUs, and every other DATA message are refused: the
        // GET (0x0103), SET (0x0105, confirmed 0x0106), ACTION (0x0107: set-time, clear
        // segments) and their unconfirmed forms, and anything malformed.
        #expect(!IEEE11073Response.mayTransmit(V.bpAARQ))
        #expect(!IEEE11073Response.mayTransmit(V.rlrq))
        #expect(!IEEE11073Response.mayTransmit(V.abrt))
        #expect(!IEEE11073Response.mayTransmit(V.bpMPFixedReport))
        var forged = IEEE11073Response.eventReportResult(invokeID: 1, objectHandle: 0, eventType: 0x0D1D)
        for choice in UInt16(0)...UInt16(0x0800) where choice != 0x0201 {
            forged[8] = UInt8(choice >> 8)
            forged[9] = UInt8(choice & 0xFF)
            #expect(!IEEE11073Response.mayTransmit(forged))
        }
        var longer = IEEE11073Response.releaseResponse()
        longer.append(0)
        #expect(!IEEE11073Response.mayTransmit(longer))
        #expect(!IEEE11073Response.mayTransmit([]))
    }
}
