/// A frame the gateway may send, declared by name. A byte template: fixed bytes, the loop
/// index, and the checksum computed by the frame's checksum rule.
public struct CommandSpec: Sendable, Equatable {
    public enum Token: Sendable, Equatable {
        case byte(UInt8)
        /// Low byte of the loop index.
        case indexLow
        /// High byte of the loop index.
        case indexHigh
        /// One byte of the checksum (filled in after all other bytes).
        case checksum
    }

    public var name: String
    public var tokens: [Token]
    /// Whether the frame changes the device (clock set, memory clear). Never sent.
    public var writes: Bool

    public init(name: String, tokens: [Token], writes: Bool) {
        self.name = name
        self.tokens = tokens
        self.writes = writes
    }
}

/// One step of a live conversation.
public indirect enum ScriptStep: Sendable, Equatable {
    /// Sends a command and waits for a frame of one of the expected record types.
    case send(command: Int, expect: [Int], timeoutMillis: Int, retries: Int)
    /// Runs `body` once per index 0 ..< the value of `count`.
    case loop(count: FieldRef, body: [ScriptStep])
}
