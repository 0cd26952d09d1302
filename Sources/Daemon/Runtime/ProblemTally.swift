import FrameParsing

/// How one session keeps and logs the records its device sent that could not be decoded, so a
/// device or a line sending junk frames by the thousand (a babbling cable, a kiosk stuck
/// resending) neither floods the log nor grows the store without bound, while a real device's
/// undecoded records are all kept over its sessions:
/// - at most `keptRowsLimit` new problems (and `keptBytesLimit` bytes of them) are kept per
///   session; later ones are counted, not kept (PG-SES-014, once). A record already kept does
///   not count, so a meter's next session keeps the next ones;
/// - the store itself keeps at most `StoreLimits.problemRows` problems over all sessions; a
///   record it does not keep is counted the same way (PG-SES-015, once);
/// - the first `loggedOneByOne` get a line each (PG-SES-008); after that, one line at every
///   power of ten (100, 1000, …) with the count so far. The session's end line carries the
///   totals (`UNDECODED`, `UNDECODED_NOT_KEPT`).
package struct ProblemTally: Sendable, Equatable {
    package static let loggedOneByOne = 10
    package static let keptRowsLimit = 1000
    package static let keptBytesLimit = 16 << 20
    /// The longest part of a record's bytes written to a log line, in bytes (the store keeps them all).
    package static let loggedBytesLimit = 256

    /// Undecoded records the session received.
    package private(set) var seen = 0
    /// Problems kept as new rows this session, and their bytes.
    package private(set) var keptRows = 0
    package private(set) var keptBytes = 0
    /// Undecoded records counted but not kept (over the limits).
    package private(set) var notKept = 0

    package init() {}

    /// Counts one more undecoded record of `size` bytes; tells whether it may be offered to
    /// the store, and which lines to log.
    package mutating func arrive(size: Int) -> Step {
        seen += 1
        let mayKeep = keptRows < Self.keptRowsLimit && keptBytes + size <= Self.keptBytesLimit
        if !mayKeep { notKept += 1 }
        return Step(mayKeep: mayKeep, logLine: seen <= Self.loggedOneByOne,
                    milestone: seen > Self.loggedOneByOne && Self.isPowerOfTen(seen),
                    firstNotKept: !mayKeep && notKept - refusedByStoreCount == 1)
    }

    /// The store kept it as a new row.
    package mutating func kept(size: Int) {
        keptRows += 1
        keptBytes += size
    }

    /// The store kept it not: it holds as many problems as it keeps, or is full. Returns
    /// whether this is the first such record this session (to log once).
    package mutating func refusedByStore() -> Bool {
        notKept += 1
        refusedByStoreCount += 1
        return refusedByStoreCount == 1
    }

    /// Records the store did not keep this session (part of `notKept`).
    package private(set) var refusedByStoreCount = 0

    /// What to do with one undecoded record.
    package struct Step: Sendable, Equatable {
        /// Offer it to the store.
        package var mayKeep: Bool
        /// Log it on its own line.
        package var logLine: Bool
        /// Log the count so far (a power of ten past the one-by-one lines).
        package var milestone: Bool
        /// The first one over the limits: log that the rest are counted, not kept.
        package var firstNotKept: Bool
    }

    /// `raw` in hex for a log line: at most `loggedBytesLimit` bytes, then the full length.
    package static func loggedHex(_ raw: [UInt8]) -> String {
        let hex = raw.prefix(loggedBytesLimit).map(Hex.byte).joined()
        return raw.count > loggedBytesLimit ? hex + "…(\(raw.count) bytes)" : hex
    }

    static func isPowerOfTen(_ n: Int) -> Bool {
        var n = n
        while n >= 10, n % 10 == 0 { n /= 10 }
        return n == 1
    }
}
