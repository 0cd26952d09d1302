import ArgumentParser

@main
struct PocGate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pocgate", abstract: "Point-of-care device gateway.")
}
