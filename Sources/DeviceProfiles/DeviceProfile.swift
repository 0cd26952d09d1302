public import PocGateCore
public import FrameParsing

/// A device profile: how to recognise a device and how to talk to it. Loaded from YAML
/// (see docs/PROFILES.md); technicians add profiles without recompiling.
public struct DeviceProfile: Sendable, Equatable {
    /// Stable id, e.g. `taidoc-td4277`; stored with every reading.
    public var id: String
    /// Bumped by the author on every change to the profile.
    public var version: Int
    /// Human name.
    public var name: String
    /// What kind of device it is, e.g. `glucose-meter`.
    public var kind: String
    /// The conversation and frame format, a built-in protocol.
    public var `protocol`: ProtocolFamily
    /// Which ports this profile claims.
    public var match: MatchRules
    /// tty line settings.
    public var line: LineSettings
    /// Timeouts and retries of the conversation.
    public var session: SessionSettings
    /// Where the profile was loaded from.
    public var sourceFile: String
    /// FNV-1a 64 of the file's bytes, hex: which exact text decoded a reading.
    public var contentHash: String
    /// A `protocol: declarative` profile's frames, records and readings, compiled once when
    /// the profile is loaded.
    public var declarative: DeclarativePlan?
    /// False: the profile decodes captures and validates, but never claims a port.
    public var enabled: Bool = true
    /// The analyte tables the profile names (`analytes:`), in order: later ones extend and
    /// override earlier ones.
    public var analyteTableIDs: [String] = []
    /// Those tables merged, once the catalog resolved them (`AnalyteTables.resolve`); empty
    /// before, or when the profile names none.
    public var analytes: AnalyteTable = .empty
    /// The character set of an ASTM sender's text (`charset:`, default UTF-8).
    public var charset: ASTMCharset = .utf8
    /// A TaiDoc/FORA profile's `taidoc.models`: the models it accepts and their record layouts
    /// (nil: the protocol's default, `taidocModelTable`).
    public var taidocModels: TaiDocModels?

    public init(id: String, version: Int, name: String, kind: String, protocol: ProtocolFamily, match: MatchRules,
                line: LineSettings, session: SessionSettings, sourceFile: String, contentHash: String) {
        self.id = id
        self.version = version
        self.name = name
        self.kind = kind
        self.protocol = `protocol`
        self.match = match
        self.line = line
        self.session = session
        self.sourceFile = sourceFile
        self.contentHash = contentHash
    }
}

extension DeviceProfile {
    /// The values `kind` may take: what the device is, shown in `pocgate devices` and the catalogue.
    public static let kinds = ["glucose-meter", "blood-pressure-monitor", "health-kiosk", "ecg-cart",
                               "pulse-oximeter", "weighing-scale", "poct-analyzer", "thermometer"]
}

/// The built-in protocols a profile can name.
public enum ProtocolFamily: String, Sendable, CaseIterable {
    /// TaiDoc TD-42xx/32xx 8-byte frames (0x51 … sum8), 19200 8N1.
    case taidocTD42xx = "taidoc-td42xx"
    /// LifeScan OneTouch binary frames (STX … ETX, CRC-16/CCITT-FALSE): UltraEasy/UltraMini and Verio
    /// messages; live read-only session for the UltraEasy/UltraMini (serial ports; the Verio 2015
    /// is USB mass storage and replay only).
    case lifescanBinary = "lifescan-binary"
    /// LifeScan OneTouch Ultra 2 "DM" text lines with a 16-bit sum, 9600 8N1; read-only live
    /// session `DM@`, `DMF`, `DMP`.
    case onetouchUltra2 = "onetouch-ultra2"
    /// Abbott FreeStyle Optium `$xmem` text dump with a 16-bit sum, 19200 8N1; read-only live
    /// session (`$xmem`).
    case freestyleOptium = "freestyle-optium"
    /// SD Biosensor SD CodeFree frames (0x53 … XOR 0xAA), 38400 8N1.
    case sdCodeFree = "sd-codefree"
    /// TaiDoc TD-32xx blood-pressure monitors (FORA P-series), e.g. over Bluetooth SPP: the
    /// same 0x51 frames and session as `taidoc-td42xx`, but no default model table: the
    /// profile's `taidoc.models` names every model it reads and its record layouts.
    case taidocBloodPressure = "taidoc-td32xx-bp"
    /// IEEE 11073-20601 personal health device APDUs (Continua agents), the manager's side:
    /// association, configuration, confirmed event reports, release.
    case ieee11073 = "ieee11073-20601"
    /// pocgate's framed 12-lead ECG transfer (`PGEC` … CRC-16/CCITT-FALSE), a constructed
    /// format for cart bridges that export raw samples (docs/protocols/ecg.md).
    case ecgWaveform = "ecg-waveform"
    /// SCP-ECG records (EN 1064 / ISO 11073-91064) sent whole by a 12-lead ECG cart.
    case scpECG = "scp-ecg"
    /// HL7 v2 ORU^R01 messages in MLLP blocks (0x0B … 0x1C 0x0D), each answered with an ACK
    /// after its readings are stored (health kiosks, lab analyzers).
    case hl7MLLP = "hl7-mllp"
    /// All-in-one health kiosk measurement board frames (AA 55 token len … CRC-8/MAXIM): blood
    /// pressure, SpO2, thermometer and strip-meter results. Replay only.
    case kioskAA55 = "kiosk-aa55"
    /// ASTM E1381 frames (STX FN … ETX/ETB, two-hex-digit sum) carrying E1394 records
    /// (H/P/O/R/C/L): Bayer/Ascensia Contour meters and POCT analyzers. The gateway only answers
    /// ACK or NAK.
    case astmE1394 = "astm-e1394"
    /// Frames, records, readings and a read-only session written in the profile itself
    /// (`frame`, `records`, `readings`, `commands`, `session.script`; docs/PROFILES.md).
    case declarative

    /// Whether pocgate can hold a live session with this protocol. The others decode captures
    /// (`pocgate replay`) only; a port they claim is refused, never driven.
    public var hasLiveSession: Bool {
        switch self {
        case .taidocTD42xx, .ieee11073, .hl7MLLP, .astmE1394, .declarative, .ecgWaveform, .scpECG, .onetouchUltra2,
             .lifescanBinary, .freestyleOptium: return true
        case .sdCodeFree: return false
        case .taidocBloodPressure: return true
        case .kioskAA55: return false
        }
    }
}

/// How a profile recognises the port its device sits behind.
public struct MatchRules: Sendable, Equatable {
    /// USB rules; any one matching is enough.
    public var usb: [USBMatch]
    /// Bluetooth RFCOMM rules; any one matching is enough.
    public var bluetooth: [BluetoothMatch]
    /// When several profiles claim a port equally well (a bare USB bridge id), candidates are
    /// probed in ascending order of this number (`match.probe_order`); nil probes last.
    public var probeOrder: Int?

    public init(usb: [USBMatch], bluetooth: [BluetoothMatch] = [], probeOrder: Int? = nil) {
        self.usb = usb
        self.bluetooth = bluetooth
        self.probeOrder = probeOrder
    }

    /// How specifically the best rule matches `port` (0 = not at all).
    public func score(_ port: PortDescription) -> Int {
        if let bt = port.bluetooth {
            return bluetooth.map { $0.score(bt) }.max() ?? 0
        }
        guard let usb = port.usb else { return 0 }
        return self.usb.map { $0.score(usb) }.max() ?? 0
    }
}

/// One USB rule: vendor and product ids, optionally narrowed by descriptor strings.
public struct USBMatch: Sendable, Equatable {
    public var vendorID: UInt16
    public var productID: UInt16
    /// Exact USB manufacturer string, when set.
    public var manufacturer: String?
    /// Exact USB product string, when set.
    public var product: String?
    /// The USB serial must start with this, when set.
    public var serialPrefix: String?

    public init(vendorID: UInt16, productID: UInt16, manufacturer: String? = nil, product: String? = nil, serialPrefix: String? = nil) {
        self.vendorID = vendorID
        self.productID = productID
        self.manufacturer = manufacturer
        self.product = product
        self.serialPrefix = serialPrefix
    }

    /// How specifically this rule matches `usb` (0 = not at all; more fields = higher).
    public func score(_ usb: USBIdentity) -> Int {
        guard usb.vendorID == vendorID, usb.productID == productID else { return 0 }
        var score = 1
        if let m = manufacturer { guard usb.manufacturer == m else { return 0 }; score += 1 }
        if let p = product { guard usb.product == p else { return 0 }; score += 1 }
        if let s = serialPrefix { guard usb.serial?.hasPrefix(s) == true else { return 0 }; score += 1 }
        return score
    }
}

/// Serial line settings.
public struct LineSettings: Sendable, Equatable {
    public enum Parity: String, Sendable, CaseIterable { case none, even, odd }
    public enum FlowControl: String, Sendable, CaseIterable { case none, rtscts }

    public var baud: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int
    public var flowControl: FlowControl

    public init(baud: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1, flowControl: FlowControl = .none) {
        self.baud = baud
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
    }

    /// The baud rates termios can set.
    public static let supportedBauds = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800]
}

/// Timeouts and retries of a conversation.
public struct SessionSettings: Sendable, Equatable {
    /// How long to wait for each reply.
    public var replyTimeoutMillis: Int
    /// How often a command is re-sent after a timeout or a bad reply before the session fails.
    public var retries: Int
    /// How many wake frames to send before deciding no device is answering.
    public var wakeAttempts: Int
    /// Send the protocol's power-off command after a complete dump.
    public var powerOffWhenDone: Bool
    /// While the port stays present, how long to wait before talking to it again.
    public var pollIntervalSeconds: Int
    /// For protocols where the device speaks first (ASTM, HL7, IEEE 11073, ECG carts): how long
    /// an open port may stay silent before the session ends `quiet` and the port is closed, to
    /// be opened again after `pollIntervalSeconds`. Nil: each protocol's own default (see
    /// `listenWindowMillis`). Polled protocols end a session when the device stops answering
    /// (`replyTimeoutMillis` × `retries`), so they do not use it.
    public var quietTimeSeconds: Int?

    public init(replyTimeoutMillis: Int = 1000, retries: Int = 3, wakeAttempts: Int = 5,
                powerOffWhenDone: Bool = true, pollIntervalSeconds: Int = 30, quietTimeSeconds: Int? = nil) {
        self.replyTimeoutMillis = replyTimeoutMillis
        self.retries = retries
        self.wakeAttempts = wakeAttempts
        self.powerOffWhenDone = powerOffWhenDone
        self.pollIntervalSeconds = pollIntervalSeconds
        self.quietTimeSeconds = quietTimeSeconds
    }

    /// How long a session that waits for the device to speak first listens before ending
    /// `quiet`: `quietTimeSeconds` when set, otherwise `defaultMillis` (the protocol's own
    /// default; nil: until the daemon stops or the device goes away).
    public func listenWindowMillis(default defaultMillis: Int?) -> Int? {
        quietTimeSeconds.map { $0 * 1000 } ?? defaultMillis
    }
}
