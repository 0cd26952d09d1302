import Foundation

/// A harness script that starts a private system bus with a mocked BlueZ (`ble_bus.py`,
/// `ble_gatt_devices.py`): run with `/usr/bin/python3 SCRIPT --workdir DIR ARGUMENTS…`, it
/// prints `READY <bus address>` and, on SIGTERM, writes `DIR/result.json`. The directory is a
/// fresh temporary one, removed with this object.
public final class MockBusProcess: @unchecked Sendable {
    /// The bus address, for `DBUS_SYSTEM_BUS_ADDRESS` or `BlueZClient(address:)`.
    public let address: String
    /// The script's working directory.
    public let directory: String
    private let process: Process

    /// Starts `script` (a path below Tests/Harness) and waits up to 30 s for its bus.
    public init(script: String, directoryPrefix: String, arguments: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(directoryPrefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [HTTPSReceiver.repositoryRoot + "/Tests/Harness/" + script, "--workdir", directory] + arguments
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

    /// `result.json` as `T`; stops the mock first.
    public func result<T: Decodable>(_ type: T.Type) throws -> T {
        stop()
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/result.json"))
        return try JSONDecoder().decode(T.self, from: data)
    }
}
