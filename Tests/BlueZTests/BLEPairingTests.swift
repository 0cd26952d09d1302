import BlueZ
import Daemon
import DeviceProfiles
import Foundation
import Sessions
import Testing
import TestSupport
import Tools

/// `pocgate ble pair/forget` against the mocked BlueZ, whose meter pairs by passkey entry
/// (Tests/Harness/ble_agent_mock.py): BlueZ asks the default agent for the passkey.
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"))
struct BLEPairingTests {
    static let displayed = "042917"

    /// A catalog whose one enabled profile claims the meter by its exact address.
    static func catalog() throws -> ProfileCatalog {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-pair-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/fora", withIntermediateDirectories: true)
        let shipped = try String(contentsOfFile: HTTPSReceiver.repositoryRoot + "/DeviceProfiles/taidoc/fora-ble/profile.yaml", encoding: .utf8)
        let text = shipped.replacingOccurrences(of: "enabled: false", with: "enabled: true")
            .replacingOccurrences(of: "- name_prefix: \"TAIDOC TD4277\"", with: "- address: \"\(BLEBus.meterAddress)\"")
        try text.write(toFile: dir + "/fora/profile.yaml", atomically: true, encoding: .utf8)
        let (catalog, issues) = ProfileCatalog.load(directories: [dir], families: .builtIn)
        try? FileManager.default.removeItem(atPath: dir)
        #expect(issues.isEmpty, "\(issues)")
        return catalog
    }

    @Test func pairingAnswersThePasskeyTheDeviceAsksForAndTrustsIt() throws {
        let bus = try BLEBus(pairPasskey: Self.displayed)
        let outcome = try BLEPairing.pair(address: "c0:26:da:00:42:77", force: false, catalog: Self.catalog(),
                                          responder: PairingPrompt(passkey: 42917, interactive: false), busAddress: bus.address)
        #expect(outcome.paired && outcome.trusted && !outcome.alreadyPaired)
        #expect(outcome.profile == "taidoc-fora-ble")
        #expect(outcome.asked == ["RequestPasskey"])
        let result = try bus.result()
        let pairing = try #require(result.pairing)
        #expect(pairing.answers.map(\.value) == [42917])
        #expect(pairing.answers.map(\.type) == ["UInt32"])
        #expect(pairing.registered.map(\.member) == ["RegisterAgent", "RequestDefaultAgent", "UnregisterAgent"])
        #expect(pairing.registered.first?.args == [BlueZAgent.path, "KeyboardDisplay"])
        #expect(result.methods(at: BLEBus.meterPath) == ["Pair"])
    }

    @Test func wrongPasskeyIsReportedAsRefusedAndLeavesTheDeviceUnpaired() throws {
        let bus = try BLEBus(pairPasskey: Self.displayed)
        #expect {
            _ = try BLEPairing.pair(address: BLEBus.meterAddress, force: false, catalog: Self.catalog(),
                                    responder: PairingPrompt(passkey: 111_111, interactive: false), busAddress: bus.address)
        } throws: { error in
            guard let f = error as? BLEPairing.Failure, case let .pairing(p) = f else { return false }
            return p.reason == "AuthenticationFailed" && f.exitStatus == .noPermission && f.description.contains("passkey did not match")
        }
        let client = try BlueZClient(address: bus.address)
        #expect(client.device(at: BLEBus.meterPath)?.paired == false)
        #expect(client.device(at: BLEBus.meterPath)?.trusted == false)
        client.close()
        #expect(try bus.result().pairing?.registered.last?.member == "UnregisterAgent")
    }

    /// Without a passkey and without a terminal nothing is guessed: the agent refuses.
    @Test func noPasskeyAndNoTerminalCancelsInsteadOfGuessing() throws {
        let bus = try BLEBus(pairPasskey: Self.displayed)
        #expect {
            _ = try BLEPairing.pair(address: BLEBus.meterAddress, force: false, catalog: Self.catalog(),
                                    responder: PairingPrompt(passkey: nil, interactive: false), busAddress: bus.address)
        } throws: { error in
            guard let f = error as? BLEPairing.Failure, case let .pairing(p) = f else { return false }
            return p.reason == "AuthenticationCanceled" && f.exitStatus == .noPermission
        }
        let pairing = try #require(try bus.result().pairing)
        #expect(pairing.answers.isEmpty)
        #expect(pairing.agentErrors == ["org.bluez.Error.Rejected"])
    }

    @Test func secondPairOfAPairedDeviceOnlyTrustsIt() throws {
        let bus = try BLEBus(pairPasskey: Self.displayed)
        let catalog = try Self.catalog()
        let prompt = PairingPrompt(passkey: 42917, interactive: false)
        _ = try BLEPairing.pair(address: BLEBus.meterAddress, force: false, catalog: catalog, responder: prompt, busAddress: bus.address)
        let again = try BLEPairing.pair(address: BLEBus.meterAddress, force: false, catalog: catalog, responder: prompt, busAddress: bus.address)
        #expect(again.alreadyPaired && again.paired && again.trusted)
        #expect(try bus.result().pairing?.answers.count == 1)
    }

    @Test func unclaimedAddressIsRefusedWithoutForceAndNothingIsCalled() throws {
        let bus = try BLEBus(stranger: true, pairPasskey: Self.displayed)
        let catalog = try Self.catalog()
        #expect {
            _ = try BLEPairing.pair(address: BLEBus.strangerAddress, force: false, catalog: catalog,
                                    responder: PairingPrompt(passkey: 42917, interactive: false), busAddress: bus.address)
        } throws: { error in
            guard let f = error as? BLEPairing.Failure, case .unclaimed = f else { return false }
            return f.exitStatus == .dataError && f.description.contains("--force")
        }
        #expect(throws: BLEPairing.Failure.self) {
            _ = try BLEPairing.forget(address: BLEBus.strangerAddress, force: false, catalog: catalog, busAddress: bus.address)
        }
        let result = try bus.result()
        #expect(result.pairing?.registered.isEmpty == true)
        #expect(result.methods(at: BLEBus.strangerPath).isEmpty)
        #expect(result.methods(at: "/org/bluez/hci0").isEmpty)
        #expect(result.methods(at: "/org/bluez").isEmpty)
    }

    @Test func forgetRemovesTheDeviceFromItsAdapter() throws {
        let bus = try BLEBus()
        let removed = try BLEPairing.forget(address: BLEBus.meterAddress, force: false, catalog: Self.catalog(), busAddress: bus.address)
        #expect(removed == BLEBus.meterAddress)
        let client = try BlueZClient(address: bus.address)
        #expect(client.device(at: BLEBus.meterPath) == nil)
        client.close()
        let calls = try bus.result().calls["/org/bluez/hci0"] ?? []
        #expect(calls.map(\.method) == ["RemoveDevice"])
        #expect(calls.first?.args == .array([.string(BLEBus.meterPath)]))
    }

    @Test func passkeysAreSixDigitsWithLeadingZeros() {
        #expect(PairingPrompt.parsePasskey("042917") == 42917)
        #expect(PairingPrompt.parsePasskey(" 999999 ") == 999_999)
        #expect(PairingPrompt.parsePasskey("1234567") == nil)
        #expect(PairingPrompt.parsePasskey("12a456") == nil)
        #expect(PairingPrompt.parsePasskey("") == nil)
    }

    @Test func pairingErrorsSayWhatToDo() {
        #expect(PairingError(name: "org.bluez.Error.ConnectionAttemptFailed", message: "Page Timeout").description.contains("pairing mode"))
        #expect(PairingError(name: "org.bluez.Error.AuthenticationCanceled", message: "").description.contains("cancelled"))
        #expect(PairingError(name: "org.bluez.Error.AlreadyExists", message: "").description.contains("already paired"))
        #expect(BLEPairing.Failure.pairing(PairingError(name: "org.bluez.Error.ConnectionAttemptFailed", message: "")).exitStatus == .tryAgain)
        #expect(BLEPairing.Failure.badAddress("meter").exitStatus == .dataError)
    }
}
