import PocGateCore
import ArgumentParser
import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sessions
import Tools

/// `pocgate ble pair ADDRESS [--passkey NNNNNN] [--force]`.
struct BLEPairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair",
        abstract: "Pair a Bluetooth device a profile claims and mark it trusted, answering its passkey request.",
        discussion: """
            Registers pocgate's agent (KeyboardDisplay) as BlueZ's default agent for the time of the pairing. \
            A passkey the device asks for is taken from --passkey, else typed at the terminal. An address that \
            no loaded profile claims is refused (--force pairs it anyway). Exit codes: 65 refused address, \
            69 no BlueZ, 75 device not reached (retry), 77 pairing refused (wrong passkey, cancelled).
            """)

    @Argument(help: "The device's Bluetooth address, as `pocgate ble scan` lists it.")
    var address: String

    @Option(name: .long, help: "The passkey the device displays (6 digits), or a legacy device's PIN code.")
    var passkey: String?

    @Flag(name: .long, help: "Pair even when no loaded profile claims the device.")
    var force = false

    @Option(name: .long, help: "Directory of device profiles (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    func validate() throws {
        if let passkey, PairingPrompt.parsePasskey(passkey) == nil {
            throw ValidationError("--passkey must be the 1 to 6 digits the device displays")
        }
    }

    func run() throws {
        let prompt = PairingPrompt(passkey: passkey.flatMap(PairingPrompt.parsePasskey))
        do {
            let outcome = try BLEPairing.pair(address: address, force: force, catalog: loadCatalog(profiles), responder: prompt)
            let claimed = outcome.profile.map { "profile \($0)" } ?? "no profile (forced)"
            let state = outcome.alreadyPaired ? "was already paired" : (outcome.paired ? "paired" : "pairing not confirmed by BlueZ")
            print("\(outcome.address): \(state), \(outcome.trusted ? "trusted" : "NOT trusted"); \(claimed)")
        } catch {
            StandardStreams.writeError("pocgate ble pair: \(error)\n")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}

/// `pocgate ble forget ADDRESS [--force]`.
struct BLEForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Remove a paired Bluetooth device and its keys from the adapter (BlueZ's RemoveDevice).")

    @Argument(help: "The device's Bluetooth address.")
    var address: String

    @Flag(name: .long, help: "Remove it even when no loaded profile claims it.")
    var force = false

    @Option(name: .long, help: "Directory of device profiles (repeatable).")
    var profiles: [String] = []

    func run() throws {
        do {
            print("\(try BLEPairing.forget(address: address, force: force, catalog: loadCatalog(profiles))): removed")
        } catch {
            StandardStreams.writeError("pocgate ble forget: \(error)\n")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}

/// The profiles a BLE command checks addresses against.
func loadCatalog(_ profiles: [String]) -> ProfileCatalog {
    let directories = profiles.isEmpty ? ProfileResolver.defaultDirectories.filter { FileManager.default.fileExists(atPath: $0) } : profiles
    return ProfileCatalog.load(directories: directories, families: .builtIn).0
}
