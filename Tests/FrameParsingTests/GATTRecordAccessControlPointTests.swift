import Testing
import FrameParsing

/// Record Access Control Point (0x2A52): the requests pocgate writes and the responses it reads,
/// from Glucose Service 1.0 and Pulse Oximeter Service 1.0, section "Record Access Control
/// Point" (op codes, operators, filter type 0x01 sequence number, response code values).
@Suite struct GATTRecordAccessControlPointTests {
    typealias RACP = GATTRecordAccessControlPoint

    @Test func requestsEncodeAsTheSpecificationWritesThem() {
        #expect(RACP.Request.reportAll.bytes == [0x01, 0x01])
        #expect(RACP.Request.reportLast.bytes == [0x01, 0x06])
        #expect(RACP.Request.reportFrom(sequenceNumber: 0x0110).bytes == [0x01, 0x03, 0x01, 0x10, 0x01])
        #expect(RACP.Request.countAll.bytes == [0x04, 0x01])
        #expect(RACP.Request.countFrom(sequenceNumber: 40).bytes == [0x04, 0x03, 0x01, 40, 0])
        #expect(RACP.Request.after(lastStored: 39) == .reportFrom(sequenceNumber: 40))
        #expect(RACP.Request.after(lastStored: .max) == .reportFrom(sequenceNumber: .max))
        for r in [RACP.Request.reportAll, .reportLast, .reportFrom(sequenceNumber: 7), .countAll, .countFrom(sequenceNumber: 65535)] {
            #expect(RACP.Request(bytes: r.bytes) == r)
            #expect(RACP.mayTransmit(r.bytes))
        }
    }

    /// Delete stored records (0x02) and abort (0x03) never leave, whatever operator follows;
    /// neither does any other op code, operator, filter type or length.
    @Test func deleteAbortAndEverythingElseAreNeverTransmitted() {
        #expect(!RACP.mayTransmit([0x02, 0x01]))
        #expect(!RACP.mayTransmit([0x02, 0x03, 0x01, 0x00, 0x00]))
        #expect(!RACP.mayTransmit([0x03, 0x00]))
        #expect(!RACP.mayTransmit([]))
        #expect(!RACP.mayTransmit([0x01]))
        #expect(!RACP.mayTransmit([0x01, 0x01, 0x00]))           // trailing byte
        #expect(!RACP.mayTransmit([0x01, 0x03, 0x02, 0x00, 0x00])) // user-facing-time filter
        #expect(!RACP.mayTransmit([0x01, 0x02, 0x01, 0x00, 0x00])) // less than or equal
        #expect(!RACP.mayTransmit([0x01, 0x05]))                   // first record
        #expect(!RACP.mayTransmit([0x04, 0x06]))                   // a count of the last record
        var allowed = 0
        for op in 0...255 {
            for oper in 0...255 where RACP.mayTransmit([UInt8(op), UInt8(oper)]) { allowed += 1 }
        }
        #expect(allowed == 3)   // 01 01, 01 06 and 04 01
    }

    @Test func responsesDecode() throws {
        #expect(try RACP.decodeResponse([0x05, 0x00, 0x28, 0x00]) == .numberOfRecords(40))
        let success = try RACP.decodeResponse([0x06, 0x00, 0x01, 0x01])
        #expect(success == .responseCode(request: 0x01, code: RACP.ResponseCodeValue.success))
        #expect(success.endsReportWithoutError)
        #expect(try RACP.decodeResponse([0x06, 0x00, 0x01, 0x06]).endsReportWithoutError)   // no records found
        let notCompleted = try RACP.decodeResponse([0x06, 0x00, 0x01, 0x08])
        #expect(!notCompleted.endsReportWithoutError)
        #expect(notCompleted.description == "response to op code 1: procedure not completed")
        #expect(throws: GATTDecodeError.self) { try RACP.decodeResponse([0x06, 0x00, 0x01]) }
        #expect(throws: GATTDecodeError.self) { try RACP.decodeResponse([0x01, 0x01]) }     // a request echoed
        #expect(throws: GATTDecodeError.self) { try RACP.decodeResponse([0x05, 0x01, 0x28, 0x00]) }
    }
}
