import PocGateCore
public import BlueZ
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The technician's side of pairing: the passkey from `--passkey`, else typed at the terminal
/// (stderr for the prompt, stdin for the answer); without a terminal, nothing is guessed and
/// the pairing is refused. Runs on the agent's thread, never on the bus thread.
public struct PairingPrompt: PairingResponder {
    /// The `--passkey` value, checked by `parsePasskey`.
    public var passkey: UInt32?
    /// Whether a person can be asked (stdin is a terminal, unless told otherwise).
    public var interactive: Bool

    public init(passkey: UInt32?, interactive: Bool? = nil) {
        self.passkey = passkey
        self.interactive = interactive ?? (isatty(0) == 1)
    }

    /// A passkey as the device displays it: 1 to 6 digits (leading zeros count), 0…999999.
    public static func parsePasskey(_ text: String) -> UInt32? {
        let t = text.trimmingWhitespace()
        guard (1...6).contains(t.utf8.count), t.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return UInt32(t)
    }

    public func passkey(for device: String) -> UInt32? {
        if let passkey { return passkey }
        guard interactive else {
            say("the device asks for a passkey and there is no terminal to type it: give --passkey NNNNNN")
            return nil
        }
        for _ in 0..<3 {
            say("type the 6-digit passkey the device displays, then Enter: ", newline: false)
            guard let line = readLine(strippingNewline: true) else { return nil }
            if let value = Self.parsePasskey(line) { return value }
            say("'\(line.prefix(20))' is not a passkey (6 digits)")
        }
        return nil
    }

    public func pinCode(for device: String) -> String? {
        if let passkey { return String(passkey) }
        guard interactive else {
            say("the device asks for a PIN code and there is no terminal to type it: give --passkey with the PIN from its manual")
            return nil
        }
        say("type the device's PIN code (its manual; often 0000 or 1234), then Enter: ", newline: false)
        guard let line = readLine(strippingNewline: true)?.trimmingWhitespace(),
              (1...16).contains(line.utf8.count) else { return nil }
        return line
    }

    public func confirm(_ shown: UInt32, for device: String) -> Bool {
        let digits = NumberText.printf("%06u", shown)
        if let passkey { return passkey == shown }
        guard interactive else {
            say("the device asks to confirm passkey \(digits) and there is no terminal: give --passkey \(digits) if the device shows it")
            return false
        }
        say("does the device display \(digits)? [y/N] ", newline: false)
        return readLine()?.trimmingWhitespace().lowercased().hasPrefix("y") == true
    }

    public func display(_ shown: UInt32, for device: String) {
        say("type \(NumberText.printf("%06u", shown)) on the device, then its OK key")
    }

    private func say(_ text: String, newline: Bool = true) {
        StandardStreams.writeError((text + (newline ? "\n" : "")))
    }
}
