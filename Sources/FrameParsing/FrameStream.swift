/// Counters of what a stream skipped, for logs and `pocgate replay --format summary`.
public struct DecodeCounters: Sendable, Equatable {
    public var frames = 0
    public var garbageBytes = 0
    public var badChecksums = 0
    public var malformed = 0
    public var oversized = 0

    public init() {}

    /// Frames dropped for a bad checksum, a malformed field or excess length.
    public var rejectedFrames: Int { badChecksums + malformed + oversized }
}

/// Runs a `FrameDecoder` over bytes that arrive in pieces.
///
/// It owns one growable buffer, compacted only when the consumed prefix is large, so steady
/// state allocates nothing per frame. Input split at any boundary gives the same frames.
public struct FrameStream<Decoder: FrameDecoder> {
    public private(set) var decoder: Decoder
    public private(set) var counters = DecodeCounters()
    /// The last issue seen, for a log line.
    public private(set) var lastIssue: DecodeIssue?
    private var buffer: [UInt8] = []
    private var readIndex = 0

    public init(_ decoder: Decoder) {
        self.decoder = decoder
        buffer.reserveCapacity(max(256, decoder.maximumFrameLength * 4))
    }

    /// Bytes received but not yet part of a frame.
    public var pendingCount: Int { buffer.count - readIndex }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex > 0 && (readIndex >= 4096 || readIndex == buffer.count) {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, or nil when more input is needed.
    public mutating func next() -> Decoder.Frame? {
        while readIndex < buffer.count {
            let step = buffer.withUnsafeBytes { raw in
                decoder.decode(UnsafeRawBufferPointer(rebasing: raw[readIndex...]))
            }
            switch step {
            case let .frame(frame, consumed):
                readIndex += consumed
                counters.frames += 1
                return frame
            case .needMore:
                if pendingCount > decoder.maximumFrameLength {
                    readIndex += 1
                    counters.oversized += 1
                    lastIssue = .oversized
                    continue
                }
                return nil
            case let .skip(count, issue):
                readIndex += max(1, count)
                lastIssue = issue
                switch issue {
                case .garbage: counters.garbageBytes += max(1, count)
                case .badChecksum: counters.badChecksums += 1
                case .malformed: counters.malformed += 1
                case .oversized: counters.oversized += 1
                }
            }
        }
        return nil
    }

    /// Drops everything buffered (e.g. after a timeout, before re-sending a command).
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        readIndex = 0
    }
}
