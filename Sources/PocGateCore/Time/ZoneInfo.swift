/// A time zone's UTC offsets, read from a TZif file (RFC 8536) of the system's zoneinfo
/// database (Debian's `tzdata`): the recorded transitions, then the POSIX TZ rule of the file's
/// footer for instants after the last one.
///
/// Only what the gateway asks of a zone is kept: the offset in force at an instant.
public struct ZoneInfo: Sendable, Equatable {
    /// The IANA name it was loaded as, e.g. `Asia/Shanghai`.
    public let identifier: String
    /// Transition instants (Unix seconds), ascending.
    let transitions: [Int64]
    /// The UTC offset in force from each transition on (seconds east of UTC).
    let offsets: [Int32]
    /// The offset before the first transition (the file's time type 0).
    let initialOffset: Int32
    /// The footer's rule for instants at or after the last transition, when the file has one.
    let rule: PosixTZRule?

    /// Coordinated Universal Time.
    public static let utc = ZoneInfo(identifier: "UTC", transitions: [], offsets: [], initialOffset: 0, rule: nil)

    init(identifier: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32, rule: PosixTZRule?) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
        self.rule = rule
    }

    /// The UTC offset (seconds east) in force at the Unix instant `t`.
    public func secondsFromGMT(at t: Int64) -> Int {
        guard let first = transitions.first, t >= first else { return Int(initialOffset) }
        if let rule, let last = transitions.last, t >= last { return rule.offset(at: t) }
        // The last transition at or before t.
        var low = 0, high = transitions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitions[mid] <= t { low = mid } else { high = mid - 1 }
        }
        return Int(offsets[low])
    }

    /// Why a TZif file was refused.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { "not a usable zoneinfo (TZif) file: \(reason)" }
    }

    /// Reads a TZif file's bytes (versions 1 to 4).
    public init(tzif bytes: [UInt8], identifier: String) throws(FormatError) {
        var reader = TZifReader(bytes: bytes)
        let v1 = try reader.header()
        var header = v1
        var timeSize = 4
        if v1.version >= 2 {
            try reader.skip(v1.dataSize(timeSize: 4))
            header = try reader.header()
            timeSize = 8
        }
        var transitions: [Int64] = []
        transitions.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount { transitions.append(try reader.signed(timeSize)) }
        var indices: [Int] = []
        indices.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount { indices.append(Int(try reader.byte())) }
        var typeOffsets: [Int32] = []
        for _ in 0..<header.typeCount {
            let offset = try reader.signed(4)
            _ = try reader.byte()  // isdst
            _ = try reader.byte()  // designation index
            guard offset > -89_999, offset < 93_600 else { throw FormatError(reason: "an offset of \(offset) s is out of range") }
            typeOffsets.append(Int32(offset))
        }
        guard !typeOffsets.isEmpty else { throw FormatError(reason: "it has no local time types") }
        guard indices.allSatisfy({ $0 < typeOffsets.count }) else { throw FormatError(reason: "a transition names a missing time type") }
        guard zip(transitions, transitions.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw FormatError(reason: "its transitions are not in ascending order")
        }
        try reader.skip(header.charCount + header.leapCount * (timeSize + 4) + header.standardCount + header.utCount)
        var rule: PosixTZRule? = nil
        if v1.version >= 2 {
            let footer = try reader.footer()
            if !footer.isEmpty {
                guard let parsed = PosixTZRule(footer) else {
                    throw FormatError(reason: "its footer rule '\(String(decoding: footer.prefix(64), as: UTF8.self))' cannot be read")
                }
                rule = parsed
            }
        }
        self.init(identifier: identifier, transitions: transitions, offsets: indices.map { typeOffsets[$0] },
                  initialOffset: typeOffsets[0], rule: rule)
    }
}

/// A cursor over a TZif file that refuses to read past its end.
private struct TZifReader {
    let bytes: [UInt8]
    var at = 0

    struct Header {
        var version: Int
        var utCount, standardCount, leapCount, timeCount, typeCount, charCount: Int

        func dataSize(timeSize: Int) -> Int {
            timeCount * (timeSize + 1) + typeCount * 6 + charCount + leapCount * (timeSize + 4) + standardCount + utCount
        }
    }

    /// Larger than any zone needs (the biggest shipped file has a few hundred transitions).
    static let maximumCount = 1 << 16

    mutating func header() throws(ZoneInfo.FormatError) -> Header {
        guard at + 44 <= bytes.count, bytes[at] == 0x54, bytes[at + 1] == 0x5A, bytes[at + 2] == 0x69, bytes[at + 3] == 0x66 else {
            throw ZoneInfo.FormatError(reason: "it does not start with 'TZif'")
        }
        let versionByte = bytes[at + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - 0x30
        guard (1...9).contains(version) else { throw ZoneInfo.FormatError(reason: "unknown version byte \(versionByte)") }
        at += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let c = try signed(4)
            guard c >= 0, c <= Self.maximumCount else { throw ZoneInfo.FormatError(reason: "a count of \(c) is out of range") }
            counts.append(Int(c))
        }
        return Header(version: version, utCount: counts[0], standardCount: counts[1], leapCount: counts[2],
                      timeCount: counts[3], typeCount: counts[4], charCount: counts[5])
    }

    mutating func skip(_ n: Int) throws(ZoneInfo.FormatError) {
        guard n >= 0, at + n <= bytes.count else { throw ZoneInfo.FormatError(reason: "it ends early") }
        at += n
    }

    mutating func byte() throws(ZoneInfo.FormatError) -> UInt8 {
        guard at < bytes.count else { throw ZoneInfo.FormatError(reason: "it ends early") }
        defer { at += 1 }
        return bytes[at]
    }

    /// A big-endian two's-complement integer of `size` (4 or 8) bytes.
    mutating func signed(_ size: Int) throws(ZoneInfo.FormatError) -> Int64 {
        guard at + size <= bytes.count else { throw ZoneInfo.FormatError(reason: "it ends early") }
        var value: UInt64 = 0
        for i in 0..<size { value = value << 8 | UInt64(bytes[at + i]) }
        at += size
        if size == 4 { return Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) }
        return Int64(bitPattern: value)
    }

    /// The text between the footer's two newlines (empty when the file has no rule).
    mutating func footer() throws(ZoneInfo.FormatError) -> [UInt8] {
        guard at < bytes.count, bytes[at] == 0x0A else { throw ZoneInfo.FormatError(reason: "its footer does not start with a newline") }
        guard let end = bytes[(at + 1)...].firstIndex(of: 0x0A) else { throw ZoneInfo.FormatError(reason: "its footer does not end with a newline") }
        return Array(bytes[(at + 1)..<end])
    }
}
