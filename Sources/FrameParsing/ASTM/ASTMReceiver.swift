public import PocGateCore

/// The receiving side of an E1381 link as a pure state machine: the gateway's whole part of the
/// conversation. The live session and `pocgate replay` both run it, so a capture decodes exactly
/// as the session would have read it.
///
/// It answers ENQ with ACK, each accepted (or retransmitted) frame with ACK, an out-of-sequence
/// frame or a frame rejected by the decoder (bad checksum, broken field) with NAK, and EOT with
/// nothing. It never answers anything else: see `ASTMReply`.
public struct ASTMReceiver: Sendable {
    /// What the receiver produced from an event.
    public enum Output: Sendable, Equatable {
        /// A header arrived (identity and clock are in `transfer`).
        case header
        /// A result that became a reading.
        case reading(Reading)
        /// A record or frame that did not; `raw` is the text of a result record, empty for a frame
        /// or any other record (a frame may hold a patient record: its bytes are never handed on
        /// to be logged).
        case problem(ASTMProblem, raw: [UInt8])
        /// EOT: the transfer is over.
        case transferEnded
    }

    public private(set) var assembler = ASTMMessageAssembler()
    public private(set) var transfer: ASTMTransfer
    /// Frames answered with NAK so far.
    public private(set) var naks = 0
    /// Retransmitted frames acknowledged without being taken again.
    public private(set) var duplicates = 0

    public init(profileID: String, analytes: AnalyteTable, charset: ASTMCharset = .utf8) {
        transfer = ASTMTransfer(profileID: profileID, analytes: analytes, charset: charset)
    }

    /// Whether a transfer is open (ENQ seen, EOT not yet).
    public var inTransfer: Bool { assembler.inTransfer }

    /// Takes one decoded event; returns the reply to send, if any.
    public mutating func take(_ event: ASTMEvent, _ out: (Output) -> Void) -> ASTMControl? {
        switch event {
        case .control(.enq):
            // A new transfer starts from nothing, as a live session (one per transfer) does:
            // no patient, order, delimiters or identity carried over from the previous one.
            assembler.begin()
            let lookups = transfer.lookups
            transfer = ASTMTransfer(profileID: transfer.profileID, analytes: transfer.analytes, charset: transfer.charset)
            transfer.lookups = lookups
            return .ack
        case .control(.eot):
            let dropped = assembler.end()
            if dropped > 0 { out(.problem(.incompleteRecord(bytes: dropped), raw: [])) }
            out(.transferEnded)
            return nil
        case .control(.ack), .control(.nak):
            // A sender never expects an answer to these; the gateway never sends frames.
            return nil
        case let .frame(frame):
            // Each record is read as the assembler completes it; the assembler is moved out
            // for the call so that the transfer can be updated meanwhile.
            var joining = ASTMMessageAssembler()
            swap(&joining, &assembler)
            let verdict = joining.accept(frame) { text in
                switch transfer.consume(text) {
                case .header: out(.header)
                case let .result(reading): out(.reading(reading))
                case let .problem(p): out(.problem(p, raw: text.first == UInt8(ascii: "R") ? text : []))
                case .patient, .order, .terminator, .other, .notAResult: break
                }
            }
            swap(&joining, &assembler)
            switch verdict {
            case .accepted:
                return .ack
            case .duplicate:
                duplicates += 1
                return .ack
            case let .outOfSequence(expected, got):
                naks += 1
                out(.problem(.outOfSequence(expected: expected, got: got), raw: []))
                return .nak
            case .notInTransfer:
                naks += 1
                out(.problem(.frameOutsideTransfer, raw: []))
                return .nak
            }
        }
    }

    /// The decoder rejected a frame (bad checksum, broken field) inside a transfer: NAK, so the
    /// device sends it again. Outside a transfer nothing is answered.
    public mutating func rejectedFrame() -> ASTMControl? {
        guard assembler.inTransfer else { return nil }
        naks += 1
        return .nak
    }

    /// No frame arrived in time: the transfer is abandoned. Returns the bytes of an unfinished
    /// record that were dropped.
    @discardableResult
    public mutating func timedOut() -> Int { assembler.end() }
}

/// The only bytes the gateway may send on an ASTM link: ACK and NAK, one at a time. It never
/// sends ENQ (it never starts a transfer), frames, or anything that could change a device.
public enum ASTMReply {
    /// Whether `bytes` are exactly one ACK or one NAK.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        bytes == [ASTMControl.ack.rawValue] || bytes == [ASTMControl.nak.rawValue]
    }
}
