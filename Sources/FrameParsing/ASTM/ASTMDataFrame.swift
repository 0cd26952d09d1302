/// One checked E1381 data frame: `STX FN text ETB|ETX C1 C2 CR LF`.
///
/// FN is the frame number `0`…`7` (the first frame of a transfer is `1`); ETB marks an
/// intermediate frame, ETX the last frame of a message; C1 C2 are the two uppercase hex digits
/// of the sum of the bytes from FN through ETB/ETX, mod 256.
public struct ASTMDataFrame: Sendable, Hashable {
    /// The frame number, 0…7.
    public var number: UInt8
    /// True for an ETX frame (the last of a message), false for an ETB (intermediate) frame.
    public var isFinal: Bool
    /// The checksum the frame carried (and matched).
    public var checksum: UInt8
    /// The bytes between FN and ETB/ETX (records end with CR inside them).
    public var text: ASTMFrameText

    @inlinable
    public init(number: UInt8, isFinal: Bool, checksum: UInt8, text: ASTMFrameText) {
        self.number = number
        self.isFinal = isFinal
        self.checksum = checksum
        self.text = text
    }

    /// The E1381 checksum of a frame: Σ bytes from FN through ETB/ETX inclusive, mod 256.
    public static func checksum(number: UInt8, text: [UInt8], isFinal: Bool) -> UInt8 {
        var s = UInt8(ascii: "0") &+ number
        for b in text { s = s &+ b }
        return s &+ (isFinal ? ASTMByte.etx : ASTMByte.etb)
    }

    /// The bytes on the wire for a frame with `number` (0…7) and `text`.
    public static func encode(number: UInt8, text: [UInt8], isFinal: Bool) -> [UInt8] {
        let sum = checksum(number: number, text: text, isFinal: isFinal)
        return [ASTMByte.stx, UInt8(ascii: "0") + (number & 7)] + text
            + [isFinal ? ASTMByte.etx : ASTMByte.etb] + ASCIIHex.encode2(sum) + [ASTMByte.cr, ASTMByte.lf]
    }

    /// The frame as it travelled on the wire, for provenance.
    public var bytes: [UInt8] {
        [ASTMByte.stx, UInt8(ascii: "0") + number] + text.array
            + [isFinal ? ASTMByte.etx : ASTMByte.etb] + ASCIIHex.encode2(checksum) + [ASTMByte.cr, ASTMByte.lf]
    }
}
