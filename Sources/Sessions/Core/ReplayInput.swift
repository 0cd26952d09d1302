import FrameParsing
public import PocGateCore

/// What replay decodes: the device's side of a capture, each read with the local time the
/// gateway received it. Only devices whose frames carry no time (the AA 55 kiosk board) use
/// the times; every other protocol reads its times from the frames.
public struct ReplayInput: Sendable {
    /// One read from the device.
    public struct Chunk: Sendable, Equatable {
        /// When the gateway received it, local time in the gateway's zone.
        public var receivedAt: LocalDateTime
        public var bytes: [UInt8]

        public init(receivedAt: LocalDateTime, bytes: [UInt8]) {
            self.receivedAt = receivedAt
            self.bytes = bytes
        }
    }

    /// The device's reads, in order.
    public var chunks: [Chunk]

    public init(chunks: [Chunk]) { self.chunks = chunks }

    /// `bytes` received at one time.
    public init(bytes: [UInt8], receivedAt: LocalDateTime) {
        chunks = [Chunk(receivedAt: receivedAt, bytes: bytes)]
    }

    /// Everything the device sent, in order.
    public var deviceBytes: [UInt8] { chunks.flatMap(\.bytes) }
}
