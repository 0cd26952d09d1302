import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate verify-chain`: checks a receiver's log of signed batches.
struct VerifyChain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-chain",
        abstract: "Check the signed, chained batches a receiver logged: signatures, gaps, replays, reordering, modified bodies.",
        discussion: """
            Each log line is one JSON object per request with "headers" (x-pocgate-gateway, x-pocgate-sequence, \
            x-pocgate-previous, x-pocgate-signature) and "body_b64" (the body after undoing Content-Encoding, base64). \
            A directory means every *.jsonl file in it, in name order. Exit status 0: intact; 1: problems found.
            """)

    @Option(name: .long, help: "The gateway's public key: PEM text, a PEM file, or base64 (pocgate key --public).")
    var publicKey: String

    @Option(name: .long, help: "Verify only this gateway's batches (default: the log must hold one gateway).")
    var gateway: String?

    @Argument(help: "Receiver log files or directories.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log file or directory") }
    }

    func run() throws {
        let (text, intact) = try ChainCheck.run(publicKey: publicKey, gatewayID: gateway, paths: paths)
        print(text)
        if !intact { throw ExitCode(1) }
    }
}
