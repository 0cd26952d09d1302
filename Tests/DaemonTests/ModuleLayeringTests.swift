import Foundation
import TestSupport
import Testing

/// The module import rules of docs/ARCHITECTURE.md, checked on the sources: a module imports
/// only modules below it, so the tty layer never learns the profile schema, the runtime never
/// reaches into a command or the demo, and no test but the demo's depends on the demo.
@Suite struct ModuleLayeringTests {
    /// Each module of the package and the modules of the package it may import. Toolchain and
    /// system modules (FoundationEssentials, Glibc, …) are allowed everywhere; third-party ones are
    /// listed where they are used.
    static let allowed: [String: Set<String>] = [
        "PocGateCore": [],
        "Services": [],
        "FrameParsing": ["PocGateCore"],
        "DeviceProfiles": ["PocGateCore", "FrameParsing", "CYAML"],
        "Transports": ["PocGateCore", "CHIDRaw"],
        "Sessions": ["PocGateCore", "FrameParsing", "DeviceProfiles", "Transports", "Logging"],
        "Discovery": ["PocGateCore", "Services", "CUdev", "Logging"],
        "BlueZ": ["PocGateCore", "Services", "Transports", "CSDBus", "Logging"],
        "Store": ["PocGateCore", "CSQLite"],
        "Uplink": ["PocGateCore", "Services", "Store", "CCurl", "CZlib", "CLibCrypto", "Logging"],
        "Daemon": ["PocGateCore", "Services", "FrameParsing", "DeviceProfiles", "Discovery", "Transports", "BlueZ", "Sessions", "Store", "Uplink",
                   "Logging"],
        "Tools": ["PocGateCore", "Services", "FrameParsing", "DeviceProfiles", "Discovery", "Transports", "BlueZ", "Sessions", "Store", "Uplink",
                  "Daemon", "CTimex", "Logging"],
        "Emulators": ["PocGateCore", "Services", "FrameParsing"],
        "Demo": ["PocGateCore", "Services", "FrameParsing", "DeviceProfiles", "Store", "Uplink", "Daemon", "Emulators", "Logging"],
        "pocgate": ["PocGateCore", "Services", "FrameParsing", "DeviceProfiles", "Discovery", "Transports", "Sessions", "Store", "Uplink",
                    "Daemon", "Tools", "Demo", "ArgumentParser", "Logging"],
    ]

    /// Full `Foundation` is not among them: it links ICU into the binary (about 35 MB) for
    /// formatters and time zones the gateway does without; tests may use it.
    static let system: Set<String> = ["FoundationEssentials", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization", "_Concurrency"]

    static let root = HTTPSReceiver.repositoryRoot

    /// The modules a Swift file imports (`import X`, `public import X`, `@testable import X`, …).
    static func imports(_ file: String) throws -> Set<String> {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var out: Set<String> = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                  words[..<i].allSatisfy({ ["public", "package", "internal", "@testable", "@_exported"].contains($0) }) else { continue }
            out.insert(String(words[i + 1].split(separator: ".")[0]))
        }
        return out
    }

    static func swiftFiles(under dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".swift") }.map { "\(dir)/\($0)" }
    }

    @Test func everyModuleImportsOnlyWhatItsLayerAllows() throws {
        let modules = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/Sources")
            .filter { !["CCurl", "CHIDRaw", "CLibCrypto", "CSDBus", "CSQLite", "CTimex", "CUdev", "CYAML", "CZlib"].contains($0) }
        for module in modules {
            let allowed = try #require(Self.allowed[module], "Sources/\(module) has no layer in the rules (docs/ARCHITECTURE.md)")
            for file in Self.swiftFiles(under: "\(Self.root)/Sources/\(module)") {
                for imported in try Self.imports(file) where !Self.system.contains(imported) {
                    #expect(allowed.contains(imported), "\(file.dropFirst(Self.root.count + 1)) imports \(imported), which \(module) may not")
                }
            }
        }
    }

    /// The rule table has no cycle: every module's allowed imports are modules listed before
    /// it in a topological order.
    @Test func theLayersFormNoCycle() {
        var placed: Set<String> = []
        var left = Set(Self.allowed.keys)
        while !left.isEmpty {
            let ready = left.filter { m in Self.allowed[m]!.allSatisfy { placed.contains($0) || Self.allowed[$0] == nil } }
            #expect(!ready.isEmpty, "a cycle among \(left.sorted())")
            if ready.isEmpty { return }
            placed.formUnion(ready)
            left.subtract(ready)
        }
    }

    @Test func onlyTheDemosOwnTestsDependOnTheDemo() throws {
        let targets = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/Tests")
        for target in targets where target != "DemoTests" {
            for file in Self.swiftFiles(under: "\(Self.root)/Tests/\(target)") {
                #expect(!(try Self.imports(file)).contains("Demo"), "\(file.dropFirst(Self.root.count + 1)) imports Demo")
            }
        }
        let package = try String(contentsOfFile: "\(Self.root)/Package.swift", encoding: .utf8)
        for line in package.split(separator: "\n") where line.contains(".testTarget(") && !line.contains("\"DemoTests\"") {
            #expect(!line.contains("\"Demo\""), "a test target depends on Demo: \(line)")
        }
    }
}
