public import PocGateCore

/// One line of a FreeStyle Optium reply, ended by LF (a CR before it is part of the ending).
/// The decoder parses fields in place; `sum` is the 16-bit byte sum of everything the line
/// consumed, endings included, which is what the `$xmem` dump checksum adds up.
public struct FreeStyleLine: Sendable, Hashable {
    /// What the line is. Serial and version have no fixed shape; the dump knows them by position.
    public enum Kind: Sendable, Hashable {
        /// An empty line; one opens the `$xmem` dump.
        case blank
        /// `VVV  Mmmm DD YYYY HH:MM T 0x00`: one stored result.
        case record(FreeStyleRecord)
        /// `Mmmm DD YYYY HH:MM:SS`: the meter clock in the dump header (nil when not a date).
        case clock(LocalDateTime?)
        /// Three digits: the record count in the dump header.
        case count(Int)
        /// `0xHHHH  END`: the dump checksum.
        case end(checksum: UInt16)
        /// `CMD OK`: a command finished.
        case commandOK
        /// Any other printable line.
        case text
    }

    public var kind: Kind
    /// The line without its ending.
    public var text: InlineBytes
    /// Σ consumed bytes mod 65536.
    public var sum: UInt16

    @usableFromInline
    init(kind: Kind, text: InlineBytes, sum: UInt16) {
        self.kind = kind
        self.text = text
        self.sum = sum
    }
}

/// The fields of one `$xmem` result line.
public struct FreeStyleRecord: Sendable, Hashable {
    /// The measurement time (minute resolution).
    public var time: LocalDateTime
    /// The three-digit value, or nil for `HI ` (above the strip's range).
    public var value: Int?
    /// `G` glucose (mg/dL) or `K` β-ketone, as the ASCII byte.
    public var type: UInt8
    /// The trailing `0xHH` byte; only `00` is documented.
    public var marker: UInt8

    public init(time: LocalDateTime, value: Int?, type: UInt8, marker: UInt8) {
        self.time = time
        self.value = value
        self.type = type
        self.marker = marker
    }
}
