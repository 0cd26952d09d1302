import Foundation

/// Validates bundle JSON with `fhir.resources` R4B models (as the test receiver does), when
/// /usr/bin/python3 has that package.
public enum R4BValidator {
    static let python = "/usr/bin/python3"
    static let script = """
        import sys
        from fhir.resources.R4B.bundle import Bundle
        try:
            Bundle.model_validate_json(sys.stdin.buffer.read())
        except Exception as e:
            print(e); sys.exit(1)
        """

    /// Validates one compact JSON Bundle per input line in one Python process (importing
    /// fhir.resources costs about a second); prints `ok` or the first error line per Bundle.
    static let batchScript = """
        import sys
        from fhir.resources.R4B.bundle import Bundle
        for line in sys.stdin.buffer:
            if not line.strip():
                continue
            try:
                Bundle.model_validate_json(line)
                print("ok")
            except Exception as e:
                print(str(e).replace(chr(10), " | "))
        """

    /// Per body, nil when it is a valid R4B Bundle, else the validator's message. Bodies must
    /// be compact JSON (no line breaks), as the uplink writes them.
    public static func problems(batch bodies: [[UInt8]]) throws -> [String?] {
        var input: [UInt8] = []
        for body in bodies { input += body + [0x0A] }
        let result = try run(python, ["-c", batchScript], input: input)
        tally(bodies.count)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return bodies.indices.map { i in i < lines.count ? (lines[i] == "ok" ? nil : lines[i]) : "validator stopped: \(result.output)" }
    }

    /// Whether the validator can run here.
    public static let isAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? run(python, ["-c", "import fhir.resources.R4B.bundle"], input: []))?.status == 0
    }()

    /// nil when `body` is a valid R4B Bundle, else the validator's message.
    public static func problems(_ body: [UInt8]) throws -> String? {
        let result = try run(python, ["-c", script], input: body)
        tally(1)
        return result.status == 0 ? nil : result.output
    }

    /// Validates one compact JSON StructureDefinition per input line; prints `ok` or the error.
    static let structureDefinitionScript = """
        import sys
        from fhir.resources.R4B.structuredefinition import StructureDefinition
        for line in sys.stdin.buffer:
            if not line.strip():
                continue
            try:
                StructureDefinition.model_validate_json(line)
                print("ok")
            except Exception as e:
                print(str(e).replace(chr(10), " | "))
        """

    /// Per JSON text (any layout), nil when it is a valid R4B StructureDefinition, else the
    /// validator's message.
    public static func structureDefinitionProblems(_ texts: [[UInt8]]) throws -> [String?] {
        var input: [UInt8] = []
        for text in texts {
            let object = try JSONSerialization.jsonObject(with: Data(text))
            input += [UInt8](try JSONSerialization.data(withJSONObject: object)) + [0x0A]
        }
        let result = try run(python, ["-c", structureDefinitionScript], input: input)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return texts.indices.map { i in i < lines.count ? (lines[i] == "ok" ? nil : lines[i]) : "validator stopped: \(result.output)" }
    }

    /// With `POCGATE_VALIDATION_TALLY=FILE`, appends how many Bundles were validated, so a test
    /// run can report the total (`wc -l`-style: one line per call with its count).
    static func tally(_ count: Int) {
        guard let path = ProcessInfo.processInfo.environment["POCGATE_VALIDATION_TALLY"],
              let handle = FileHandle(forWritingAtPath: path) ?? {
                  _ = FileManager.default.createFile(atPath: path, contents: nil)
                  return FileHandle(forWritingAtPath: path)
              }() else { return }
        handle.seekToEndOfFile()
        handle.write(Data("\(count)\n".utf8))
        try? handle.close()
    }

    private static func run(_ tool: String, _ arguments: [String], input: [UInt8]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
