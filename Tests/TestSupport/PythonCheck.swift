import Foundation

/// Runs an independent Python implementation (a PyPI package installed for /usr/bin/python3)
/// on test data, for cross-checks that are skipped where the package is absent.
public enum PythonCheck {
    static let python = "/usr/bin/python3"

    /// Whether `/usr/bin/python3` can import `module`.
    public static func has(_ module: String) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? run(["-c", "import \(module)"]))?.status == 0
    }

    /// Runs `script` with `arguments` (`sys.argv[1…]`); returns its exit status and stdout+stderr.
    public static func run(script: String, arguments: [String]) throws -> (status: Int32, output: String) {
        try run(["-c", script] + arguments)
    }

    /// Runs the harness script at `path` on a temporary file holding `input` (its one argument)
    /// and decodes each line it prints as JSON.
    public static func jsonLines<Row: Decodable>(of path: String, on input: [UInt8], as _: Row.Type) throws -> [Row] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString).bin")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try run([path, file.path])
        guard status == 0 else { throw HarnessFailure(script: path, output: output) }
        return try output.split(separator: "\n").map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
    }

    /// A harness script that exited with an error.
    public struct HarnessFailure: Error, CustomStringConvertible {
        public let script: String
        public let output: String
        public var description: String { "\(script) failed: \(output)" }
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
