/// How many times each record-identity text was seen: the occurrence number that tells apart
/// records carrying the same data (two identical readings in one memory dump). The texts are
/// hashed as one run of bytes; an `[UInt8]` dictionary key hashes its elements one by one,
/// which cost an IEEE 11073 dump a tenth of its time.
struct KeyTextCounts: Sendable {
    private var counts: [KeyText: Int] = [:]

    /// The number of times `text` was seen before (0 the first time); counts it once more.
    mutating func next(_ text: [UInt8]) -> Int {
        Self.postIncrement(&counts[KeyText(bytes: text), default: 0])
    }

    /// `count`, then one more: one hash-table look-up through the dictionary's modify accessor.
    private static func postIncrement(_ count: inout Int) -> Int {
        defer { count += 1 }
        return count
    }

    /// Forgets every count (a new dump).
    mutating func removeAll() { counts.removeAll() }

    /// One identity text as a dictionary key.
    private struct KeyText: Hashable, Sendable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}
