import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Foundation
import Testing

/// Thousands of damaged configurations, made from the example file by a fixed-seed mutator
/// (byte flips, YAML punctuation, repeated and cut chunks): each either loads or is refused with
/// one short line that names its place (line and column) — never a crash, never a message that
/// repeats megabytes or a raw control character.
@Suite("Config: mutated files")
struct ConfigMutationTests {
    /// xorshift64*, so every run tries the same inputs.
    struct Mutator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

        static let tokens: [[UInt8]] = ["[", "{", "]", "}", ":", ": ", "- ", "\n", "  ", "'", "\"", "&a ", "*a", "!!str ",
                                        "? ", "|", ">", "#", "\\0", "\\r\\n", "\u{1B}", "\u{0}", "\r", "\t", "%YAML 1.2\n",
                                        "---\n", "...\n", "<<: ", "0x", "-1", "99999999999999999999"].map { Array($0.utf8) }

        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var bytes = input
            for _ in 0...below(4) {
                let at = below(bytes.count + 1)
                switch below(6) {
                case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(truncatingIfNeeded: 1 << below(8))
                case 1: bytes.insert(contentsOf: Self.tokens[below(Self.tokens.count)], at: at)
                case 2 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
                case 3 where at < bytes.count:
                    let chunk = Array(bytes[at..<min(bytes.count, at + 1 + below(64))])
                    for _ in 0..<below(8) { bytes.insert(contentsOf: chunk, at: at) }
                case 4: bytes.insert(contentsOf: Array(repeating: Self.tokens[below(4)][0], count: below(2_000)), at: at)
                default: bytes = Array(bytes.prefix(at))
                }
            }
            return bytes
        }
    }

    static let fileLevel = ["the configuration is", "the file is empty", "not valid YAML", "the document must be a mapping",
                            "the configuration file is not UTF-8"]

    @Test func mutatedConfigurationsLoadOrAreRefusedWithAPlace() throws {
        let example = try String(contentsOfFile: #filePath.components(separatedBy: "/Tests/")[0] + "/docs/pocgate.example.yaml",
                                 encoding: .utf8)
        let seeds = [example, GatewayConfigTests.good].map { Array($0.utf8) }
        var mutator = Mutator(state: 0x9E37_79B9_7F4A_7C15)
        var refused = 0
        for i in 0..<4_000 {
            let bytes = mutator.mutate(seeds[i % seeds.count])
            guard let text = String(validating: bytes, as: UTF8.self) else { continue }
            do {
                _ = try GatewayConfig.parse(text, file: "m.yaml")
            } catch {
                refused += 1
                let line = error.description
                #expect(line.unicodeScalars.count <= ConfigLimits.messageCharacters + 120, "\(line.prefix(200))")
                #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(line.prefix(200))")
                #expect(error.line > 0 || Self.fileLevel.contains { error.message.hasPrefix($0) }, "no place: \(line.prefix(200))")
            }
        }
        #expect(refused > 1_000)
    }
}
