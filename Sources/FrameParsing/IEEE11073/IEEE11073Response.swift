/// The APDUs a manager sends, built by the codec, and the transmit policy: pocgate's manager
/// only ever answers. It sends an association response, a release response, and the answer
/// to a confirmed event report, and nothing else: no GET, no SET, no ACTION (which could set
/// the agent's clock or clear its store), no abort, no request of its own.
public enum IEEE11073Response {
    /// AARE result codes pocgate sends.
    public enum AssociationResult: UInt16, Sendable {
        /// The agent's standard configuration is known: reports can follow at once.
        case accepted = 0
        /// The agent offers no protocol pocgate speaks (20601 with MDER).
        case rejectedPermanent = 1
        /// The association is accepted but the configuration is unknown: the agent must
        /// send its configuration report first.
        case acceptedUnknownConfig = 3
    }

    /// The answer to a configuration report (ConfigReportRsp config-result).
    public enum ConfigResult: UInt16, Sendable {
        case acceptedConfig = 0
        case unsupportedConfig = 1
    }

    /// The system id pocgate's manager gives itself (an EUI-64 in the locally administered
    /// range; agents only echo it in their logs).
    public static let managerSystemID: [UInt8] = [0x02, 0x50, 0x4F, 0x43, 0x47, 0x41, 0x54, 0x45]

    /// AARE with `result`: the selected data protocol 20601 and the manager's association
    /// information (protocol version 1, MDER, manager system type, no options).
    public static func associationResponse(_ result: AssociationResult) -> [UInt8] {
        var info: [UInt8] = []
        info += [0x80, 0x00, 0x00, 0x00]            // protocol version 1
        info += [0x80, 0x00]                        // encoding rules: MDER
        info += [0x80, 0x00, 0x00, 0x00]            // nomenclature version 1
        info += [0x00, 0x00, 0x00, 0x00]            // functional units: none
        info += [0x80, 0x00, 0x00, 0x00]            // system type: manager
        info += [0x00, UInt8(managerSystemID.count)] + managerSystemID
        info += [0x00, 0x00]                        // dev-config-id: manager
        info += [0x00, 0x00, 0x00, 0x00]            // data request mode capabilities: none
        info += [0x00, 0x00, 0x00, 0x00]            // option list: empty
        let body = u16(result.rawValue) + u16(IEEE11073AssociationRequest.dataProtoID20601) + u16(UInt16(info.count)) + info
        return IEEE11073APDU(type: .aare, body: body)!.bytes
    }

    /// RLRE, reason normal.
    public static func releaseResponse() -> [UInt8] {
        IEEE11073APDU(type: .rlre, body: [0x00, 0x00])!.bytes
    }

    /// The answer to a confirmed event report: the invoke id echoed, the reporting object and
    /// event type echoed, manager time 0, and `replyInfo` (empty for a scan report; the
    /// ConfigReportRsp for a configuration report).
    public static func eventReportResult(invokeID: UInt16, objectHandle: UInt16, eventType: UInt16, replyInfo: [UInt8] = []) -> [UInt8] {
        let result = u16(objectHandle) + [0x00, 0x00, 0x00, 0x00] + u16(eventType) + u16(UInt16(replyInfo.count)) + replyInfo
        let data = u16(invokeID) + u16(IEEE11073DataAPDU.confirmedEventReportResultChoice) + u16(UInt16(result.count)) + result
        return IEEE11073APDU(type: .prst, body: u16(UInt16(data.count)) + data)!.bytes
    }

    /// The answer to a configuration report `reportID` with `result`.
    public static func configurationResult(invokeID: UInt16, reportID: UInt16, result: ConfigResult) -> [UInt8] {
        eventReportResult(invokeID: invokeID, objectHandle: 0, eventType: IEEE11073Nomenclature.notiConfig,
                          replyInfo: u16(reportID) + u16(result.rawValue))
    }

    /// Whether `bytes` are one APDU the manager may send: an AARE, an RLRE, or a PRST whose
    /// DATA APDU is a confirmed-event-report result. Everything else is refused.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 6, bytes[1] == 0x00, Int(bytes[2]) << 8 | Int(bytes[3]) == bytes.count - 4 else { return false }
        switch bytes[0] {
        case IEEE11073APDUType.aare.leadByte, IEEE11073APDUType.rlre.leadByte:
            return true
        case IEEE11073APDUType.prst.leadByte:
            guard bytes.count >= 12, Int(bytes[4]) << 8 | Int(bytes[5]) == bytes.count - 6,
                  Int(bytes[10]) << 8 | Int(bytes[11]) == bytes.count - 12 else { return false }
            return UInt16(bytes[8]) << 8 | UInt16(bytes[9]) == IEEE11073DataAPDU.confirmedEventReportResultChoice
        default:
            return false
        }
    }

    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
}
