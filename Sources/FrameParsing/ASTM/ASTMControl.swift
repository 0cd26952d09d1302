/// The E1381 (CLSI LIS01) transmission-control characters that travel as single bytes between
/// frames. `ENQ` opens a transfer, `EOT` ends it, `ACK` and `NAK` answer a frame.
public enum ASTMControl: UInt8, Sendable, Hashable, CaseIterable {
    /// End of transmission: the sender is done (or gives up).
    case eot = 0x04
    /// Enquiry: the sender asks to start a transfer.
    case enq = 0x05
    /// Acknowledge: ready (after ENQ), frame accepted (after a frame).
    case ack = 0x06
    /// Negative acknowledge: busy (after ENQ), frame rejected, send it again.
    case nak = 0x15
}

/// The framing bytes of an E1381 frame.
public enum ASTMByte {
    /// Start of text: opens a frame.
    public static let stx: UInt8 = 0x02
    /// End of text: closes the last frame of a message.
    public static let etx: UInt8 = 0x03
    /// End of transmission block: closes an intermediate frame.
    public static let etb: UInt8 = 0x17
    /// Carriage return: ends a record, and follows the checksum.
    public static let cr: UInt8 = 0x0D
    /// Line feed: the last byte of a frame.
    public static let lf: UInt8 = 0x0A
}

/// One thing the decoder found on the line: a control byte, or a checked data frame.
public enum ASTMEvent: Sendable, Hashable {
    /// ENQ, ACK, NAK or EOT.
    case control(ASTMControl)
    /// A frame whose checksum matched.
    case frame(ASTMDataFrame)
}
