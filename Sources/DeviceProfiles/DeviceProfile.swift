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
    /// The conversation and frame format: a protocol family of the driver registry.
    public var `protocol`: ProtocolFamily
    /// Whether pocgate holds live sessions with this profile's device: its family's answer
    /// (`FamilyTraits.hasLiveSession`), settled when the profile is loaded. False: the profile
    /// decodes captures (`pocgate replay`) only, and a port it claims is refused, never driven.
    public var hasLiveSession: Bool
    /// Which ports this profile claims.
    public var match: MatchRules
    /// How the device is reached (`transport:`, default `tty`).
    public var transport: ProfileTransport = .tty
    /// tty line settings (also a CP2110 bridge's UART settings).
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
    /// A `lifescan-binary` profile's `lifescan.meter`: which meter its live session talks to
    /// (nil: the UltraEasy / UltraMini).
    public var lifescanMeter: LifeScanMeter?
    /// The GATT service and characteristics of a `transport: ble-uart` profile (`ble:`).
    public var bleSerial: BLESerialSettings?

    public init(id: String, version: Int, name: String, kind: String, protocol: ProtocolFamily, match: MatchRules,
                line: LineSettings, session: SessionSettings, sourceFile: String, contentHash: String,
                hasLiveSession: Bool = true) {
        self.id = id
        self.hasLiveSession = hasLiveSession
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

/// How a profile recognises the port its device sits behind.
public struct MatchRules: Sendable, Equatable {
    /// USB rules; any one matching is enough.
    public var usb: [USBMatch]
    /// Bluetooth RFCOMM rules; any one matching is enough.
    public var bluetooth: [BluetoothMatch]
    /// When several profiles claim a port equally well (a bare USB bridge id), candidates are
    /// probed in ascending order of this number (`match.probe_order`); nil probes last.
    public var probeOrder: Int?
    /// The kind of port the profile's transport opens (`ProfileTransport.opens`): a tty
    /// profile never claims a hidraw node or a BLE device, whatever their ids.
    public var portTransport: PortTransport

    public init(usb: [USBMatch], bluetooth: [BluetoothMatch] = [], probeOrder: Int? = nil,
                portTransport: PortTransport = .tty) {
        self.usb = usb
        self.bluetooth = bluetooth
        self.probeOrder = probeOrder
        self.portTransport = portTransport
    }

    /// How specifically the best rule matches `port` (0 = not at all).
    public func score(_ port: PortDescription) -> Int {
        guard portTransport.claims(port.transport) else { return 0 }
        if let bt = port.bluetooth {
            return bluetooth.map { $0.score(bt) }.max() ?? 0
        }
        guard let usb = port.usb else { return 0 }
        return self.usb.map { $0.score(usb, interface: port.usbInterface) }.max() ?? 0
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
    /// The USB interface number the port must belong to, when set (`interface:`; a HID device
    /// with several interfaces).
    public var interface: Int?

    public init(vendorID: UInt16, productID: UInt16, manufacturer: String? = nil, product: String? = nil,
                serialPrefix: String? = nil, interface: Int? = nil) {
        self.interface = interface
        self.vendorID = vendorID
        self.productID = productID
        self.manufacturer = manufacturer
        self.product = product
        self.serialPrefix = serialPrefix
    }

    /// How specifically this rule matches `usb` on interface `interface` (0 = not at all;
    /// more fields = higher).
    public func score(_ usb: USBIdentity, interface portInterface: Int? = nil) -> Int {
        guard usb.vendorID == vendorID, usb.productID == productID else { return 0 }
        var score = 1
        if let interface { guard portInterface == interface else { return 0 }; score += 1 }
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
