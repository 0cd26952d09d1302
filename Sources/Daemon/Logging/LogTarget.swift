/// Where the daemon's log goes (`log.target`).
public enum LogTarget: String, Sendable, Equatable, CaseIterable {
    /// The journal when stderr is connected to it (`$JOURNAL_STREAM`, as under systemd) and its
    /// socket exists; stderr otherwise.
    case auto
    /// The journal's native socket; stderr if the socket cannot be used.
    case journal
    /// `<N>`-prefixed lines on stderr.
    case stderr
}
