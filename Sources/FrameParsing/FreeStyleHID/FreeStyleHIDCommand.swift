/// Every message pocgate may send to a FreeStyle HID meter: the four payload-less binary
/// queries of the initialisation, and read-only text commands (a `?` query, never a `,` set).
/// `mayTransmit` allows exactly their reports: never `$date,`/`$time,` (set the clock),
/// `$ptname,`, `$resetpatient` (erases the reader), `$swreset` or any other command.
public enum FreeStyleHIDCommand: String, Sendable, CaseIterable {
    case query04 = "0x04"
    case querySerial = "0x05"
    case querySoftware = "0x15"
    case initialize = "0x01"
    /// Serial number (Precision/Optium Neo, InsuLinx).
    case serialNumber = "$serlnum?"
    /// Serial number on the Libre reader, which has no `$serlnum?`.
    case libreSerialNumber = "$sn?"
    case softwareVersion = "$swver?"
    case date = "$date?"
    case time = "$time?"
    /// Stored blood results (Precision/Optium Neo, InsuLinx).
    case results = "$result?"
    /// Libre: strip results and sensor scans.
    case libreResults = "$arresult?"

    /// The message this command is.
    public var message: FreeStyleHIDMessage {
        switch self {
        case .query04: return FreeStyleHIDMessage(type: FreeStyleHIDType.query04, payload: [])
        case .querySerial: return FreeStyleHIDMessage(type: FreeStyleHIDType.querySerial, payload: [])
        case .querySoftware: return FreeStyleHIDMessage(type: FreeStyleHIDType.querySoftware, payload: [])
        case .initialize: return FreeStyleHIDMessage(type: FreeStyleHIDType.initialize, payload: [])
        default: return FreeStyleHIDMessage(type: FreeStyleHIDType.text, payload: Array(rawValue.utf8))
        }
    }

    /// The output report that sends it.
    public var report: [UInt8] { message.outputReport! }

    /// The initialisation, in the order Abbott's software sends it.
    public static let initialisation: [FreeStyleHIDCommand] = [.query04, .querySerial, .querySoftware, .initialize]

    /// The message type that answers each initialisation message.
    public static let replyType: [FreeStyleHIDCommand: UInt8] = [
        .query04: FreeStyleHIDType.query04Reply, .querySerial: FreeStyleHIDType.querySerialReply,
        .querySoftware: FreeStyleHIDType.querySoftwareReply, .initialize: FreeStyleHIDType.initializeReply,
    ]

    private static let allowed: Set<[UInt8]> = Set(allCases.map(\.report))

    /// Whether `report` is exactly the report of one of these commands.
    public static func mayTransmit(_ report: [UInt8]) -> Bool { allowed.contains(report) }
}
