import ArgumentParser

/// `pocgate run`: the daemon.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway daemon.")

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func run() throws {
        throw ValidationError("not wired yet")
    }
}

/// `pocgate demo`.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show readings flowing from an emulated meter to a local receiver.")
    func run() throws { throw ValidationError("not wired yet") }
}
