/// Joins the frames of one E1381 transfer into E1394 records.
///
/// A transfer opens with ENQ (`begin()`); its first frame is numbered 1, then 2…7, 0, 1…
/// (mod 8). A frame with the expected number is taken; a frame repeating the number of the
/// last one taken is the sender's retransmission after a lost ACK: it is acknowledged but its
/// text is not added again; any other number is out of sequence and must be NAKed. Frame texts
/// are joined and cut into records at each CR, so a record may span intermediate (ETB) frames
/// and a frame may hold a record cut anywhere. An ETX frame ends the message: text left without
/// a CR is a record too. EOT (`end()`) or a receiver timeout drops an unfinished record.
public struct ASTMMessageAssembler: Sendable {
    /// What became of a frame.
    public enum Verdict: Sendable, Equatable {
        /// The expected frame: its text was taken. Answer ACK.
        case accepted
        /// A retransmission of the last frame taken: ignored. Answer ACK.
        case duplicate
        /// Neither the expected nor the last number: nothing taken. Answer NAK.
        case outOfSequence(expected: UInt8, got: UInt8)
        /// A frame before any ENQ: nothing taken. Answer NAK.
        case notInTransfer
    }

    /// The longest record kept (text beyond it is dropped with the record); E1394 sets no
    /// limit, this bounds memory against a device that never sends CR.
    public static let maximumRecordLength = 64 * 1024

    public private(set) var inTransfer = false
    /// The frame number the next new frame must carry.
    public private(set) var expected: UInt8 = 1
    private var lastTaken: UInt8?
    private var pending: [UInt8] = []
    private var pendingOverflowed = false
    /// Records dropped for exceeding `maximumRecordLength`.
    public private(set) var oversizedRecords = 0

    public init() {}

    /// ENQ: a new transfer starts with frame 1; an unfinished record of an earlier one is dropped.
    public mutating func begin() {
        inTransfer = true
        expected = 1
        lastTaken = nil
        dropPending()
    }

    /// EOT or a receiver timeout: the transfer is over. Returns how many bytes of an unfinished
    /// record were dropped (0 when the message ended cleanly).
    @discardableResult
    public mutating func end() -> Int {
        inTransfer = false
        let dropped = pending.count
        dropPending()
        return dropped
    }

    /// Takes one checked frame; complete records (without their CR) go to `record`.
    public mutating func accept(_ frame: ASTMDataFrame, record: ([UInt8]) -> Void) -> Verdict {
        guard inTransfer else { return .notInTransfer }
        if frame.number != expected {
            if let last = lastTaken, frame.number == last { return .duplicate }
            return .outOfSequence(expected: expected, got: frame.number)
        }
        lastTaken = frame.number
        expected = (frame.number + 1) & 7
        frame.text.withBytes { text in
            var start = 0
            for i in 0..<text.count where text[i] == ASTMByte.cr {
                append(UnsafeRawBufferPointer(rebasing: text[start..<i]))
                emit(record)
                start = i + 1
            }
            append(UnsafeRawBufferPointer(rebasing: text[start...]))
        }
        if frame.isFinal && !pending.isEmpty { emit(record) }
        if frame.isFinal { pendingOverflowed = false }
        return .accepted
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !pendingOverflowed else { return }
        if pending.count + bytes.count > Self.maximumRecordLength {
            pendingOverflowed = true
            oversizedRecords += 1
            pending.removeAll(keepingCapacity: true)
            return
        }
        pending.append(contentsOf: bytes)
    }

    private mutating func emit(_ record: ([UInt8]) -> Void) {
        if pendingOverflowed {
            pendingOverflowed = false
        } else if !pending.isEmpty {
            // A copy of its own size: the record may be kept (a reading's `raw`), and the
            // buffer is reused for the next one.
            record(Array(pending))
        }
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func dropPending() {
        pending.removeAll(keepingCapacity: true)
        pendingOverflowed = false
    }
}
