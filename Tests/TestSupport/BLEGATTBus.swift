import Foundation

/// `Tests/Harness/ble_gatt_devices.py`: a private system bus with a mocked BlueZ and one
/// Bluetooth SIG device, a Glucose Profile meter (`records` stored, `grow` new ones after its
/// first connection ends, or `renumber` records numbered from 1 again in place of all of them,
/// `cutAfter` measurements before it drops the first transfer) or
/// (`bloodPressure`) a Blood Pressure Profile monitor that indicates one measurement.
public final class BLEGATTBus: @unchecked Sendable {
    public let address: String
    public let directory: String
    private let process: Process

    public static let glucoseAddress = "C0:26:DA:18:08:01"
    public static let glucosePath = "/org/bluez/hci0/dev_C0_26_DA_18_08_01"
    public static let bloodPressureAddress = "C0:26:DA:18:10:02"
    public static let bloodPressurePath = "/org/bluez/hci0/dev_C0_26_DA_18_10_02"

    public static var isAvailable: Bool { BLEBus.isAvailable }

    public init(records: Int = 40, grow: Int = 0, renumber: Int = 0, cutAfter: Int? = nil,
                bloodPressure: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-gatt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var arguments = [HTTPSReceiver.repositoryRoot + "/Tests/Harness/ble_gatt_devices.py", "--workdir", directory,
                         "--records", "\(records)", "--grow", "\(grow)", "--renumber", "\(renumber)"]
        if let cutAfter { arguments += ["--cut-after", "\(cutAfter)"] }
        if bloodPressure { arguments.append("--bp") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline, process.isRunning {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }) else {
            process.terminate()
            throw TestSupportError.receiverDidNotStart(reason: "the mocked BlueZ bus did not start: \(text)")
        }
        address = String(line.dropFirst("READY ".count))
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the mock (it then writes result.json) and the bus. Safe twice.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// What the mock recorded; stops it first.
    public func result() throws -> BLEGATTBusResult {
        stop()
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/result.json"))
        return try JSONDecoder().decode(BLEGATTBusResult.self, from: data)
    }
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
