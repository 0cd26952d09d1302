import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate demo`: readings flowing end to end, nothing to set up.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Emulated meter on a pseudo-terminal → the real gateway → a local FHIR receiver.",
        discussion: """
            --device picks the emulated meter by its profile id: \(DemoDevice.accepted). \
            Only these can be played: each has an emulator built into pocgate, written from the \
            public protocol. Other profiles (the LifeScan Verio 2015, the FORA blood-pressure and \
            thermometer devices, kiosks, ECG carts) are read by the daemon but not emulated here.
            """)

    @Option(name: .long, help: "Exit after this many readings have been delivered (default: run until Ctrl-C).")
    var count: Int?

    @Option(name: .long, help: "How many records the emulated meter holds.")
    var records: Int = 12

    @Option(name: .long, help: "Directory of device profiles (repeatable).")
    var profiles: [String] = []

    @Option(name: .long, help: "The meter to emulate, by profile id: \(DemoDevice.accepted).")
    var device: String = DemoDevice.taidocTD4277.rawValue

    @Flag(name: .long, help: "Log every frame and reading (debug level).")
    var verbose = false

    func validate() throws {
        guard (1...5000).contains(records) else { throw ValidationError("--records must be 1…5000") }
        guard let meter = DemoDevice(rawValue: device) else {
            throw ValidationError("--device '\(device)' cannot be emulated; use one of \(DemoDevice.accepted)")
        }
        guard records <= meter.maximumRecords else {
            throw ValidationError("--records must be at most \(meter.maximumRecords) for --device \(device)")
        }
        if let c = count, c < 1 || c > records { throw ValidationError("--count must be 1…\(records) (the meter holds --records \(records))") }
    }

    func run() throws {
        let code = DemoMain.run(count: count, records: records,
                                profileDirectories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles, verbose: verbose,
                                device: DemoDevice(rawValue: device) ?? .taidocTD4277)
        if code != 0 { throw ExitCode(code) }
    }
}
