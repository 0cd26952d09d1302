public import Foundation

/// Finds executables SwiftPM built next to the running test bundle.
public enum BuiltProducts {
    /// The build directory of the running tests: where `PocGatePackageTests.xctest` is.
    public static var directory: URL {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }

    /// The executable product `name`, from the running build directory or, failing that,
    /// `.build/debug` in the repository.
    public static func executable(named name: String) -> URL? {
        let candidates = [directory.appendingPathComponent(name),
                          UmockdevHarness.repositoryRoot.appendingPathComponent(".build/debug/\(name)")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
