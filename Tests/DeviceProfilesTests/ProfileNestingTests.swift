import Sessions
@testable import DeviceProfiles
import Testing

/// The YAML composer recurses once per nesting level: a profile of 65,000 nested `[` dropped
/// into a watched directory killed the daemon with a stack overflow before any other limit saw
/// it (the configuration had its own check, profiles none). The check runs before the reader.
@Suite struct ProfileNestingTests {
    @Test("65,000 nested '[' in a profile is refused with its place, not a crash")
    func deeplyNestedFlowIsRefusedNotACrash() {
        let text = "id: x\nprotocol: declarative\nframe: " + String(repeating: "[", count: 65_000) + String(repeating: "]", count: 65_000) + "\n"
        let result = DeviceProfile.check(text, file: "deep.yaml", families: .builtIn)
        #expect(result.profile == nil)
        #expect(result.errors.contains { $0.line == 3 && $0.message.contains("nested more than 64 deep") }, "\(result.errors)")
    }

    @Test("40,000 nested block list markers are refused with their place, not a crash")
    func deeplyNestedBlocksAreRefusedNotACrash() {
        let text = "id: x\nprotocol: declarative\n" + String(repeating: "- ", count: 40_000) + "x\n"
        let result = DeviceProfile.check(text, file: "deep.yaml", families: .builtIn)
        #expect(result.profile == nil)
        #expect(result.errors.contains { $0.line == 3 && $0.message.contains("columns of indentation") })
    }

    @Test("brackets in quoted strings and comments do not count; an apostrophe in a word hides nothing",
          arguments: [
            ("a: '\(String(repeating: "[", count: 100))'\n", true),
            ("a: 1 # \(String(repeating: "[", count: 100))\n", true),
            ("a: it's \(String(repeating: "[", count: 100))\n", false),
            ("a: b#\(String(repeating: "[", count: 100))\n", false),
          ])
    func quotesAndCommentsAreSkippedOnlyWhereYAMLStartsThem(text: String, accepted: Bool) {
        var refused = false
        do { try YAMLMap.checkNesting(text, file: "t.yaml") } catch { refused = true }
        #expect(refused == !accepted)
    }
}
