/// Splits the byte stream a host writes into host→meter frames, the way the meter's firmware
/// would: anything that is not a well-formed frame is skipped by scanning for the next 0x51.
struct TD4277FrameScanner: Sendable {
    /// More pending bytes than this and the oldest are dropped as garbage.
    static let maxPending = 4096

    private var pending: [UInt8] = []
    private var head = 0
    /// Bytes discarded because they could not start or belong to a valid frame.
    private(set) var garbageBytesSkipped = 0
    /// Candidate frames (starting with 0x51) rejected for a bad direction byte or checksum.
    private(set) var badFrames = 0

    /// Adds bytes read from the line.
    mutating func append(_ bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
        let excess = pending.count - head - Self.maxPending
        if excess > 0 {
            head += excess
            garbageBytesSkipped += excess
        }
    }

    /// The next complete, valid frame, or nil when more bytes are needed.
    mutating func nextFrame() -> TD4277Frame? {
        defer { compact() }
        while true {
            guard let start = pending[head...].firstIndex(of: TD4277Frame.startByte) else {
                garbageBytesSkipped += pending.count - head
                head = pending.count
                return nil
            }
            garbageBytesSkipped += start - head
            head = start
            guard pending.count - head >= TD4277Frame.length else { return nil }
            if let frame = TD4277Frame.hostFrame(pending[head..<head + TD4277Frame.length]) {
                head += TD4277Frame.length
                return frame
            }
            badFrames += 1
            garbageBytesSkipped += 1
            head += 1
        }
    }

    private mutating func compact() {
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 {
            pending.removeFirst(head)
            head = 0
        }
    }
}
