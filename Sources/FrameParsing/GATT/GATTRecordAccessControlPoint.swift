/// The Record Access Control Point (characteristic 0x2A52; Glucose Service 1.0 and Pulse
/// Oximeter Service 1.0, "Record Access Control Point"): op code, operator, operand.
///
/// pocgate only reads: it writes "report stored records" (all, sequence number ≥ N, or the last
/// record) and "report number of stored records", never "delete stored records" (0x02) or "abort
/// operation" (0x03). `mayTransmit` is the allow-list a session puts under every write.
/// Write with response (`type: "request"` in BlueZ), after indications are enabled.
public enum GATTRecordAccessControlPoint {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A52
    static let name = "Record Access Control Point"

    /// Op codes.
    public enum OpCode {
        public static let reportStoredRecords: UInt8 = 0x01
        public static let deleteStoredRecords: UInt8 = 0x02
        public static let abortOperation: UInt8 = 0x03
        public static let reportNumberOfStoredRecords: UInt8 = 0x04
        public static let numberOfStoredRecordsResponse: UInt8 = 0x05
        public static let responseCode: UInt8 = 0x06
    }

    /// Operators (0 null, 1 all records, 3 greater than or equal to, 6 last record).
    public enum Operator {
        public static let null: UInt8 = 0x00
        public static let allRecords: UInt8 = 0x01
        public static let greaterThanOrEqual: UInt8 = 0x03
        public static let lastRecord: UInt8 = 0x06
    }

    /// The filter type of a sequence-number operand (Glucose: 0x01).
    public static let filterSequenceNumber: UInt8 = 0x01

    /// The only requests pocgate writes.
    public enum Request: Sendable, Hashable {
        /// Report stored records, all records: `01 01`.
        case reportAll
        /// Report stored records, the last record (the highest sequence number): `01 06`. Asked
        /// when "≥ N" found nothing, to tell "nothing new" from a meter that numbers from 1 again.
        case reportLast
        /// Report stored records with sequence number ≥ N: `01 03 01 N_lo N_hi` (Glucose only:
        /// the Pulse Oximeter's spot-check records carry no sequence number).
        case reportFrom(sequenceNumber: UInt16)
        /// Report number of stored records, all records: `04 01`.
        case countAll
        /// Report number of stored records with sequence number ≥ N: `04 03 01 N_lo N_hi`.
        case countFrom(sequenceNumber: UInt16)

        /// The records newer than the last one this gateway stored: sequence number ≥ last + 1
        /// (≥ 65535 when the last was 65535: the store drops the copy of the last one).
        public static func after(lastStored: UInt16) -> Request {
            .reportFrom(sequenceNumber: lastStored == .max ? .max : lastStored + 1)
        }

        /// The bytes to write.
        public var bytes: [UInt8] {
            switch self {
            case .reportAll: return [OpCode.reportStoredRecords, Operator.allRecords]
            case .reportLast: return [OpCode.reportStoredRecords, Operator.lastRecord]
            case let .reportFrom(n):
                return [OpCode.reportStoredRecords, Operator.greaterThanOrEqual, filterSequenceNumber, UInt8(n & 0xFF), UInt8(n >> 8)]
            case .countAll: return [OpCode.reportNumberOfStoredRecords, Operator.allRecords]
            case let .countFrom(n):
                return [OpCode.reportNumberOfStoredRecords, Operator.greaterThanOrEqual, filterSequenceNumber,
                        UInt8(n & 0xFF), UInt8(n >> 8)]
            }
        }

        /// The request these bytes are, or nil when they are anything else.
        public init?(bytes b: [UInt8]) {
            guard b.count == 2 || b.count == 5,
                  b[0] == OpCode.reportStoredRecords || b[0] == OpCode.reportNumberOfStoredRecords else { return nil }
            let report = b[0] == OpCode.reportStoredRecords
            if b.count == 2 {
                if report && b[1] == Operator.lastRecord { self = .reportLast; return }
                guard b[1] == Operator.allRecords else { return nil }
                self = report ? .reportAll : .countAll
                return
            }
            guard b[1] == Operator.greaterThanOrEqual, b[2] == filterSequenceNumber else { return nil }
            let n = UInt16(b[3]) | UInt16(b[4]) << 8
            self = report ? .reportFrom(sequenceNumber: n) : .countFrom(sequenceNumber: n)
        }
    }

    /// Whether `bytes` may be written to the RACP: exactly one of `Request`'s encodings.
    /// Delete (0x02), abort (0x03) and every other op code, operator or length are refused.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool { Request(bytes: bytes) != nil }

    /// What the device indicates on the RACP.
    public enum Response: Sendable, Hashable, CustomStringConvertible {
        /// Number of stored records response (op code 0x05).
        case numberOfRecords(UInt16)
        /// Response code (op code 0x06): the request's op code and the response code value.
        case responseCode(request: UInt8, code: UInt8)

        /// Whether this ends a "report stored records" successfully (success, or no records
        /// found: nothing new).
        public var endsReportWithoutError: Bool {
            guard case let .responseCode(request, code) = self, request == OpCode.reportStoredRecords else { return false }
            return code == ResponseCodeValue.success || code == ResponseCodeValue.noRecordsFound
        }

        public var description: String {
            switch self {
            case let .numberOfRecords(n): return "\(n) stored records"
            case let .responseCode(request, code):
                return "response to op code \(request): \(ResponseCodeValue.describe(code))"
            }
        }
    }

    /// Response code values.
    public enum ResponseCodeValue {
        public static let success: UInt8 = 0x01
        public static let opCodeNotSupported: UInt8 = 0x02
        public static let invalidOperator: UInt8 = 0x03
        public static let operatorNotSupported: UInt8 = 0x04
        public static let invalidOperand: UInt8 = 0x05
        public static let noRecordsFound: UInt8 = 0x06
        public static let abortUnsuccessful: UInt8 = 0x07
        public static let procedureNotCompleted: UInt8 = 0x08
        public static let operandNotSupported: UInt8 = 0x09

        /// The value's meaning, for a log line.
        public static func describe(_ code: UInt8) -> String {
            switch code {
            case success: return "success"
            case opCodeNotSupported: return "op code not supported"
            case invalidOperator: return "invalid operator"
            case operatorNotSupported: return "operator not supported"
            case invalidOperand: return "invalid operand"
            case noRecordsFound: return "no records found"
            case abortUnsuccessful: return "abort unsuccessful"
            case procedureNotCompleted: return "procedure not completed"
            case operandNotSupported: return "operand not supported"
            default: return "reserved value \(code)"
            }
        }
    }

    /// Decodes an indication of the RACP: `05 00 n_lo n_hi` or `06 00 request code`.
    public static func decodeResponse(_ bytes: [UInt8]) throws(GATTDecodeError) -> Response {
        var r = GATTReader(bytes, characteristic: name)
        let op = try r.u8("op code")
        let oper = try r.u8("operator")
        guard op == OpCode.numberOfStoredRecordsResponse || op == OpCode.responseCode else {
            throw .invalid(characteristic: name, why: "op code \(op) is not a response (5 or 6)")
        }
        guard oper == Operator.null else { throw .invalid(characteristic: name, why: "response operator \(oper), must be 0 (null)") }
        if op == OpCode.numberOfStoredRecordsResponse { return .numberOfRecords(try r.u16("number of records")) }
        return .responseCode(request: try r.u8("request op code"), code: try r.u8("response code value"))
    }
}
