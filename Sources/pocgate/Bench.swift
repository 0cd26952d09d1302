import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate bench`: benchmarks (separate from the tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks; see BENCHMARKS.md.", subcommands: [StoreBench.self])

    /// `pocgate bench store`.
    struct StoreBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Durable ingest rate, backlog drain to a loopback receiver, and bytes per reading on the wire.")

        @Option(name: .long, help: "Readings committed one transaction each (the live-session path).")
        var live = 2_000

        @Option(name: .long, help: "Readings ingested in batched transactions.")
        var bulk = 200_000

        @Option(name: .long, help: "Readings per bulk transaction.")
        var chunk = 5_000

        @Option(name: .long, help: "Readings queued and drained to the loopback receiver.")
        var drain = 1_000_000

        @Option(name: .long, help: "Readings per bundle while draining (1…1000).")
        var batchSize = 1_000

        @Option(name: .long, help: "Readings sent to measure bytes per reading.")
        var wireSample = 10_000

        @Option(name: .long, help: "Directory for the temporary databases (default: the system temp dir).")
        var directory: String?

        func validate() throws {
            guard (1...1000).contains(batchSize) else { throw ValidationError("--batch-size must be 1…1000") }
            guard chunk > 0 else { throw ValidationError("--chunk must be at least 1") }
        }

        func run() throws {
            var plan = StoreBenchmark.Plan()
            plan.live = live
            plan.bulk = bulk
            plan.chunk = chunk
            plan.drain = drain
            plan.drainBatchSize = batchSize
            plan.wireSample = wireSample
            if let directory { plan.directory = directory }
            let code = StoreBenchmark.run(plan) { print($0) }
            if code != 0 { throw ExitCode(code) }
        }
    }
}
