import ArgumentParser
import Daemon
import DeviceProfiles
import Foundation
import FrameParsing

/// `pocgate profile test FILE --capture CAP`
struct ProfileTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Decode a capture with a profile: the readings, and every rejected frame with its bytes and the reason.")

    @Option(name: .long, help: "The capture: raw bytes as the device sent them.")
    var capture: String

    @Option(name: .long, help: "Output: text (readings and rejections for a person) or ndjson (readings on stdout, rejections on stderr).")
    var format: ProfileTestFormat = .text

    @Argument(help: "The profile YAML file.")
    var file: String

    func run() throws {
        let profile: DeviceProfile
        do {
            profile = try ProfileResolver.resolve(file, directories: [])
        } catch {
            print("\(error)")
            throw ExitCode(1)
        }
        guard let data = FileManager.default.contents(atPath: capture) else {
            throw ValidationError("cannot read capture file \(capture)")
        }
        let bytes: [UInt8]
        do { bytes = try CaptureFile.deviceBytes(of: [UInt8](data)) } catch {
            throw ValidationError("\(capture): \(error)")
        }
        let out = ProfileTestRun.run(profile, capture: bytes, format: format == .ndjson ? .ndjson : .text)
        for l in out.lines { print(l) }
        for d in out.diagnostics { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
    }
}

/// `--format` values.
enum ProfileTestFormat: String, ExpressibleByArgument {
    case text, ndjson
}
