public import PocGateCore

/// The capture stream of a profile that cannot decode anything (a declarative profile without
/// its compiled plan): every byte is ignored, as its whole-capture decode ignores them.
public struct NoCaptureStream: CaptureStreamDecoder {
    public init() {}

    public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {}

    public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary { CaptureStreamSummary() }
}
