import PocGateCore
import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Store

/// The `pocgate` command line.
@main
struct PocGate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pocgate",
        abstract: "Point-of-care device gateway: meters in, FHIR out.",
        discussion: """
            pocgate finds meters on USB-serial ports through libudev, reads every record, stores each \
            reading in SQLite and forwards it to the data center as a FHIR R4 Observation over HTTPS. \
            systemd runs `pocgate run` as pocgate.service; `pocgate status` tells an operator how it is \
            doing. Files: /etc/pocgate/pocgate.yaml (configuration), /var/lib/pocgate/pocgate.db \
            (readings and the upload queue), /run/pocgate/status.json (runtime status), \
            /usr/share/pocgate/profiles and /etc/pocgate/profiles (device profiles). Operator guide: \
            /usr/share/doc/pocgate/OPERATIONS.md.
            """,
        version: "0.1.0",
        subcommands: [Run.self, Status.self, Check.self, UplinkCommand.self, Devices.self, Queue.self, Demo.self, Replay.self, CaptureCommand.self, Profile.self,
                      Bind.self, Unbind.self, Bindings.self, BLE.self, BT.self, Key.self, VerifyChain.self, Bench.self])

    /// Runs the command; a tool's failure exits with the sysexits code of its cause
    /// (`ExitStatus.of`), the same in every command, with its message on stderr. Usage errors
    /// exit 64 (ArgumentParser's validation failure).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as QueueTool.Failure {
            StandardStreams.writeError("pocgate: \(failure)\n")
            Glibc.exit(ExitStatus.of(failure).rawValue)
        } catch let error as StoreError {
            StandardStreams.writeError("pocgate: \(error)\n")
            Glibc.exit(ExitStatus.of(error).rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
