import ArgumentParser

/// `pocgate profile …`: the technician's tools for device profiles.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Device profiles: sketch a new one from a capture.",
        subcommands: [ProfileSketch.self])
}
