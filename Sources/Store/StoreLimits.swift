/// How much the store may grow.
public struct StoreLimits: Sendable, Equatable {
    /// The most bytes of live database pages (`store.max_size_mb`); nil = only the disk limits it.
    public var maxBytes: Int64?
    /// The most undecoded records kept as problems (`pocgate queue problems`), over all
    /// sessions: a device sending junk session after session must not fill the store.
    public var problemRows: Int
    /// The most bytes of undecoded records kept as problems.
    public var problemBytes: Int64

    /// The default bounds on kept problems: 10,000 records, 64 MiB of their bytes.
    public static let defaultProblemRows = 10_000
    public static let defaultProblemBytes: Int64 = 64 << 20

    /// No cap but the disk (and the default bounds on kept problems).
    public static let unlimited = StoreLimits(maxBytes: nil)

    public init(maxBytes: Int64?, problemRows: Int = StoreLimits.defaultProblemRows,
                problemBytes: Int64 = StoreLimits.defaultProblemBytes) {
        self.maxBytes = maxBytes
        self.problemRows = problemRows
        self.problemBytes = problemBytes
    }

    /// A cap of `megabytes` MiB.
    public static func megabytes(_ megabytes: Int) -> StoreLimits {
        StoreLimits(maxBytes: Int64(megabytes) * 1_048_576)
    }
}
