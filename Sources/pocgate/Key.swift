import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate key --public`: the gateway's batch-signing public key, for the data center.
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the gateway's Ed25519 public key (it verifies the X-Pocgate-Signature of every batch).")

    @OptionGroup var options: QueueOptions

    @Flag(name: .long, help: "Print the public key (the only thing this command does; the private key never leaves gateway.key).")
    var `public` = false

    @Option(name: .long, help: "pem (SubjectPublicKeyInfo, for openssl) or base64 (the 32 raw bytes).")
    var format: KeyFormat = .pem

    func validate() throws {
        if !self.public { throw ValidationError("use --public") }
    }

    func run() throws {
        let key = try QueueTool.publicKey(configPath: options.config)
        switch format {
        case .pem: print(key.publicKeyPEM, terminator: "")
        case .base64: print(key.publicKeyBase64)
        }
    }
}

/// `--format` of `pocgate key`.
enum KeyFormat: String, ExpressibleByArgument {
    case pem, base64
}
