import Foundation

/// `Tests/Harness/ble_gatt_devices.py`: a private system bus with a mocked BlueZ and one
/// Bluetooth SIG device, a Glucose Profile meter (`records` stored, `grow` new ones after its
/// first connection ends, or `renumber` records numbered from 1 again in place of all of them,
/// `cutAfter` measurements before it drops the first transfer) or
/// (`bloodPressure`) a Blood Pressure Profile monitor that indicates one measurement.
public final class BLEGATTBus: @unchecked Sendable {
    private let bus: MockBusProcess
    /// The bus address, for `DBUS_SYSTEM_BUS_ADDRESS`.
    public var address: String { bus.address }
    public var directory: String { bus.directory }

    public static let glucoseAddress = "C0:26:DA:18:08:01"
    public static let glucosePath = "/org/bluez/hci0/dev_C0_26_DA_18_08_01"
    public static let bloodPressureAddress = "C0:26:DA:18:10:02"
    public static let bloodPressurePath = "/org/bluez/hci0/dev_C0_26_DA_18_10_02"

    public static var isAvailable: Bool { BLEBus.isAvailable }

    public init(records: Int = 40, grow: Int = 0, renumber: Int = 0, cutAfter: Int? = nil,
                bloodPressure: Bool = false) throws {
        var arguments = ["--records", "\(records)", "--grow", "\(grow)", "--renumber", "\(renumber)"]
        if let cutAfter { arguments += ["--cut-after", "\(cutAfter)"] }
        if bloodPressure { arguments.append("--bp") }
        bus = try MockBusProcess(script: "ble_gatt_devices.py", directoryPrefix: "pocgate-gatt", arguments: arguments)
    }

    /// Stops the mock (it then writes result.json) and the bus. Safe twice.
    public func stop() { bus.stop() }

    /// What the mock recorded; stops it first.
    public func result() throws -> BLEGATTBusResult { try bus.result(BLEGATTBusResult.self) }
}

/// `result.json` of the GATT devices harness.
public struct BLEGATTBusResult: Decodable, Sendable {
    public struct Write: Decodable, Sendable {
        public var characteristic: String
        public var bytes: String
        public var type: String
    }
    public struct Record: Decodable, Sendable {
        public var seq: Int
        public var mgdl: Int
    }
    public var devicePath: String
    public var characteristics: [String: String]
    public var calls: [String: [BLEBusResult.Call]]
    public var connects: Int
    public var writes: [Write]
    public var transfers: [[Int]]
    public var records: [Record]
    public var indicated: Int

    /// The methods called on the object at `path`, in order.
    public func methods(at path: String) -> [String] { (calls[path] ?? []).map(\.method) }
}
