/// How much the store may grow.
public struct StoreLimits: Sendable, Equatable {
    /// The most bytes of live database pages (`store.max_size_mb`); nil = only the disk limits it.
    public var maxBytes: Int64?

    /// No cap but the disk.
    public static let unlimited = StoreLimits(maxBytes: nil)

    public init(maxBytes: Int64?) {
        self.maxBytes = maxBytes
    }

    /// A cap of `megabytes` MiB.
    public static func megabytes(_ megabytes: Int) -> StoreLimits {
        StoreLimits(maxBytes: Int64(megabytes) * 1_048_576)
    }
}
