import ArgumentParser

/// The `pocgate` command line.
@main
struct PocGate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pocgate",
        abstract: "Point-of-care device gateway: meters in, FHIR out.",
        subcommands: [Run.self, Demo.self, Replay.self, Queue.self, Key.self, VerifyChain.self, Bench.self])
}
