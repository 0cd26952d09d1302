import Foundation

/// `Tests/Harness/ble_bus.py`: a private D-Bus system bus (`dbus-daemon` on a socket in a temp
/// directory) with python-dbusmock's `bluez5` template, adapter hci0 and a FORA/TaiDoc meter
/// that answers over its BLE serial service; `result()` has every method call the mock got.
/// Needs Debian's `dbus-daemon`, `python3-dbusmock` and `python3-gi`.
public final class BLEBus: @unchecked Sendable {
    private let bus: MockBusProcess
    /// The bus address, for `DBUS_SYSTEM_BUS_ADDRESS` or `BlueZClient(address:)`.
    public var address: String { bus.address }
    public var directory: String { bus.directory }

    /// The meter's address and name, as the harness advertises them.
    public static let meterAddress = "C0:26:DA:00:42:77"
    public static let meterName = "TAIDOC TD4277"
    public static let meterPath = "/org/bluez/hci0/dev_C0_26_DA_00_42_77"
    public static let strangerAddress = "F0:99:B6:11:22:33"
    public static let strangerPath = "/org/bluez/hci0/dev_F0_99_B6_11_22_33"
    /// The classic SPP blood-pressure monitor of `sppRecords` (bt_spp_mock.py).
    public static let sppAddress = "00:12:A1:32:28:01"
    public static let sppName = "FORA P30 PLUS"
    public static let sppPath = "/org/bluez/hci0/dev_00_12_A1_32_28_01"

    /// Whether the harness can run here.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/dbus-daemon")
            && FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/dbusmock/templates/bluez5.py")
    }

    /// Starts the bus and the mock; `records` stored readings, `cutAfter` drops the connection
    /// after that many record values were served, `stranger` adds a phone no profile matches,
    /// `pairPasskey` makes the meter pair by passkey entry showing that passkey (ble_agent_mock.py),
    /// `strangerName` is the name the phone advertises instead of "Pixel 7", `phones` adds that
    /// many more phones no profile matches; `sppRecords` adds a paired classic SPP blood-pressure
    /// monitor behind BlueZ's Profile API (bt_spp_mock.py), which drops its first connection after
    /// `sppCutAfter` record values, or with `sppReleaseFirst` releases pocgate's profile at the
    /// first ConnectProfile and fails it; `sppUnsolicited` hands the profile a connection of that
    /// device path nobody asked for.
    public init(records: Int = 5, cutAfter: Int? = nil, stranger: Bool = false, pairPasskey: String? = nil,
                strangerName: String? = nil, phones: Int = 0,
                sppRecords: Int? = nil, sppCutAfter: Int? = nil, sppReleaseFirst: Bool = false,
                sppUnsolicited: String? = nil) throws {
        var arguments = ["--records", "\(records)"]
        if let cutAfter { arguments += ["--cut-after", "\(cutAfter)"] }
        if stranger { arguments.append("--stranger") }
        if let pairPasskey { arguments += ["--pair-passkey", pairPasskey] }
        if let strangerName { arguments += ["--stranger-name", strangerName] }
        if phones > 0 { arguments += ["--phones", "\(phones)"] }
        if let sppRecords { arguments += ["--spp-records", "\(sppRecords)"] }
        if let sppCutAfter { arguments += ["--spp-cut-after", "\(sppCutAfter)"] }
        if sppReleaseFirst { arguments.append("--spp-release-first") }
        if let sppUnsolicited { arguments += ["--spp-unsolicited", sppUnsolicited] }
        bus = try MockBusProcess(script: "ble_bus.py", directoryPrefix: "pocgate-ble", arguments: arguments)
    }

    /// A fresh directory holding one profile, `fora-ble-test`: the harness's meter over its
    /// BLE serial service (`taidoc-td42xx`, `ble-uart`), claimed by `rule` (a `match.bluetooth`
    /// entry; default the meter's address). The caller removes the directory.
    public static func foraProfiles(rule: String = "address: \"\(meterAddress)\"") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-ble-profiles-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
            id: fora-ble-test
            version: 1
            name: FORA meter over BLE
            kind: glucose-meter
            protocol: taidoc-td42xx
            transport: ble-uart
            match:
              bluetooth:
                - \(rule)
            ble:
              service: "00001523-1212-efde-1523-785feabcd123"
              write: "00001524-1212-efde-1523-785feabcd123"
              notify: "00001524-1212-efde-1523-785feabcd123"
            session:
              reply_timeout_ms: 1500
              retries: 2
              wake_attempts: 3
              power_off_when_done: false
              poll_interval_s: 3600
            """.write(toFile: dir + "/fora-ble.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    /// Stops the mock (it then writes result.json) and the bus. Safe twice.
    public func stop() { bus.stop() }

    /// What the mock recorded; stops it first.
    public func result() throws -> BLEBusResult { try bus.result(BLEBusResult.self) }
}

/// `result.json` of the BLE harness.
public struct BLEBusResult: Decodable, Sendable {
    public struct Call: Decodable, Sendable {
        public var method: String
        public var args: JSONValue
    }
    public struct Write: Decodable, Sendable {
        public var bytes: String
        public var type: String
    }
    public struct Meter: Decodable, Sendable {
        public var framesReceived: [String]
        public var violations: [JSONValue]
        public var valuesServed: [Int]
    }
    public struct Record: Decodable, Sendable {
        public var index: Int
        public var time: String
        public var value: Int
        public var flags: Int
    }
    /// What the pairing mock saw (with `pairPasskey`).
    public struct Pairing: Decodable, Sendable {
        public struct Registration: Decodable, Sendable {
            public var member: String
            public var sender: String
            public var args: [String]
        }
        public struct Answer: Decodable, Sendable {
            public var method: String
            /// The D-Bus type the agent answered with (`UInt32`).
            public var type: String
            public var value: Int
        }
        public var registered: [Registration]
        public var answers: [Answer]
        public var agentErrors: [String]
    }
    /// What the SPP mock saw (with `sppRecords`).
    public struct SPP: Decodable, Sendable {
        public struct Registration: Decodable, Sendable {
            public var sender: String
            public var path: String
            public var uuid: String
            public var options: [String: JSONValue]
        }
        public struct BPRecord: Decodable, Sendable {
            public var index: Int
            public var time: String
            public var value: Int
            public var mean: Int
            public var diastolic: Int
            public var pulse: Int
        }
        public var devicePath: String
        public var registered: [Registration]
        public var unregistered: [String]
        public var connections: Int
        public var refused: [String]
        public var registrations: Int
        public var releases: Int
        /// The answers to unsolicited NewConnection calls (error names, or "accepted").
        public var unsolicited: [String]
        public var profileErrors: [String]
        public var meter: Meter
        public var records: [BPRecord]
    }
    public var spp: SPP?
    public var meterPath: String
    public var characteristic: String
    public var pairing: Pairing?
    public var calls: [String: [Call]]
    public var writes: [Write]
    public var meter: Meter
    public var records: [Record]

    /// The methods called on the object at `path`, in order.
    public func methods(at path: String) -> [String] { (calls[path] ?? []).map(\.method) }
}

/// Any JSON value, for the harness's free-form fields.
public indirect enum JSONValue: Decodable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}
