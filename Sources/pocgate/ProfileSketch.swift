import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import FrameParsing
import Store

/// `pocgate profile sketch CAPTURE`: what the framing of an unknown device looks like.
struct ProfileSketch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sketch",
        abstract: "Guess an unknown device's framing and checksum from a capture and write a profile skeleton.",
        discussion: """
            Reads a capture (a `pocgate capture` file, or raw bytes the device sent) and reports \
            whether the device talks text or binary, its start bytes, length rule, end marker, which \
            checksum family over which byte range matches every frame, and byte offsets that look \
            like record types. The skeleton marks everything the capture cannot tell as FILL-IN.
            """)

    @Argument(help: "The capture file.")
    var capture: String

    @Option(name: .long, help: "Write the profile skeleton to this file (default: print it after the findings).")
    var out: String?

    func run() throws {
        let bytes: [UInt8]
        let more: Bool
        do { (bytes, more) = try StreamingReplay.deviceHead(path: capture, limit: CaptureFileLimits.sketchBytes) } catch {
            throw ValidationError("\(error)")
        }
        if more {
            print("# the device sent more than \(CaptureFileLimits.sketchBytes) bytes: only the first \(CaptureFileLimits.sketchBytes) are sketched")
        }
        let sketch = FrameSketcher().sketch(bytes)
        for line in ProfileSkeleton.report(sketch, capture: capture) { print("# " + line) }
        let yaml = ProfileSkeleton.yaml(sketch)
        if let out {
            do {
                try PrivateFile.write(Array(yaml.utf8), to: out, mode: 0o644)
            } catch {
                throw ValidationError("cannot write \(out): \(error)")
            }
            print("# profile skeleton written to \(out)")
        } else {
            print(yaml, terminator: "")
        }
    }
}
