/// What an agent's APDU says, parsed from its MDER body.
public enum IEEE11073Message: Sendable, Equatable {
    /// AARQ: the agent asks to associate.
    case associationRequest(IEEE11073AssociationRequest)
    /// AARE: an association response (sent by managers; an agent never sends one).
    case associationResponse(result: UInt16)
    /// RLRQ with its reason (0 normal).
    case releaseRequest(reason: UInt16)
    /// RLRE with its reason.
    case releaseResponse(reason: UInt16)
    /// ABRT with its reason (0 undefined, 1 buffer overflow, 2 response timeout, 3 configuration timeout).
    case abort(reason: UInt16)
    /// PRST carrying a DATA APDU.
    case data(IEEE11073DataAPDU)

    /// Parses `apdu`'s body.
    public init(_ apdu: IEEE11073APDU) throws(IEEE11073DecodeError) {
        var r = MDERReader(apdu.body)
        switch apdu.type {
        case .aarq: self = .associationRequest(try IEEE11073AssociationRequest(&r))
        case .aare: self = .associationResponse(result: try r.u16("AARE result"))
        case .rlrq: self = .releaseRequest(reason: try r.u16("RLRQ reason"))
        case .rlre: self = .releaseResponse(reason: try r.u16("RLRE reason"))
        case .abrt: self = .abort(reason: try r.u16("ABRT reason"))
        case .prst:
            var data = try r.sub(Int(try r.u16("PRST octet string length")), "PRST octet string")
            self = .data(try IEEE11073DataAPDU(&data))
        }
    }
}

/// The fields of an AARQ the manager decides on.
public struct IEEE11073AssociationRequest: Sendable, Equatable {
    /// The 20601 data protocol offered (nil when the list does not offer 20601).
    public var protocolVersion: UInt32?
    /// Encoding rules bits (MDER 0x8000, XER 0x4000, PER 0x2000).
    public var encodingRules: UInt16
    /// The agent's system id, an EUI-64 (8 bytes) for Continua agents.
    public var systemID: [UInt8]
    /// The agent's configuration: a standard id, or an extended one it must then report.
    public var devConfigID: UInt16

    /// The data-proto-id of IEEE 11073-20601.
    public static let dataProtoID20601: UInt16 = 20601

    /// Whether the agent offers 20601 with MDER, the only combination pocgate speaks.
    public var offersMDER20601: Bool { protocolVersion != nil && encodingRules & 0x8000 != 0 }

    /// The system id as upper-case hex without separators: the device serial.
    public var systemIDHex: String {
        var text: [UInt8] = []
        text.reserveCapacity(2 * systemID.count)
        for b in systemID { text.appendHex(b) }
        return String(decoding: text, as: UTF8.self)
    }

    init(_ r: inout MDERReader) throws(IEEE11073DecodeError) {
        _ = try r.u32("association version")
        var (count, list) = try r.list("data-proto list")
        var found: (UInt32, UInt16, [UInt8], UInt16)?
        for _ in 0..<count {
            let id = try list.u16("data-proto-id")
            var info = try list.sub(Int(try list.u16("data-proto-info length")), "data-proto-info")
            guard id == Self.dataProtoID20601, found == nil else { continue }
            let version = try info.u32("protocol version")
            let rules = try info.u16("encoding rules")
            _ = try info.u32("nomenclature version")
            _ = try info.u32("functional units")
            _ = try info.u32("system type")
            let systemID = try info.octetString("system id")
            let config = try info.u16("dev-config-id")
            found = (version, rules, systemID, config)
        }
        guard let found else {
            protocolVersion = nil
            encodingRules = 0
            systemID = []
            devConfigID = 0
            return
        }
        (protocolVersion, encodingRules, systemID, devConfigID) = found
    }
}

/// A DATA APDU: invoke id and message.
public struct IEEE11073DataAPDU: Sendable, Equatable {
    /// The invoke id the answer must echo.
    public var invokeID: UInt16
    /// The message choice (0x0101 confirmed event report, 0x0100 unconfirmed, …).
    public var choice: UInt16
    /// The event report, when the message is one.
    public var eventReport: IEEE11073EventReport?

    /// Remote operation invoke: event report (unconfirmed).
    public static let eventReportChoice: UInt16 = 0x0100
    /// Remote operation invoke: confirmed event report.
    public static let confirmedEventReportChoice: UInt16 = 0x0101
    /// Remote operation response: confirmed event report (the manager's answer).
    public static let confirmedEventReportResultChoice: UInt16 = 0x0201

    /// Whether the agent waits for an answer.
    public var isConfirmedEventReport: Bool { choice == Self.confirmedEventReportChoice }

    init(_ r: inout MDERReader) throws(IEEE11073DecodeError) {
        invokeID = try r.u16("invoke id")
        choice = try r.u16("DATA message choice")
        var message = try r.sub(Int(try r.u16("DATA message length")), "DATA message")
        switch choice {
        case Self.eventReportChoice, Self.confirmedEventReportChoice:
            eventReport = try IEEE11073EventReport(&message)
        default:
            eventReport = nil
        }
    }
}

/// An EventReportArgumentSimple: which object reports what kind of event, with its info.
public struct IEEE11073EventReport: Sendable, Equatable {
    /// The reporting object (0 = the MDS).
    public var objectHandle: UInt16
    /// The agent's relative time of the event (0xFFFFFFFF: not kept).
    public var eventTime: UInt32
    /// MDC_NOTI_… code.
    public var eventType: UInt16
    /// The event's info, still encoded.
    public var info: [UInt8]

    init(_ r: inout MDERReader) throws(IEEE11073DecodeError) {
        objectHandle = try r.u16("event report object handle")
        eventTime = try r.u32("event time")
        eventType = try r.u16("event type")
        info = try r.octetString("event info")
    }
}
