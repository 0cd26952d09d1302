import ArgumentParser

/// `pocgate profile`: the technician's loop for device profiles. One subcommand per file
/// (ProfileValidate.swift, ProfileTest.swift, ProfileList.swift, ProfileSketch.swift); add new
/// ones to the list.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write, check and test device profiles: validate, test against a capture, list, sketch from a capture.",
        subcommands: [ProfileValidate.self, ProfileTest.self, ProfileList.self, ProfileSketch.self])
}
