/// Finds Omron HEM-790IT-class answers in the stream of 8-byte input reports a hidraw link
/// delivers (one report per read, no report id). A report whose count byte is 0 (the device
/// sends one after the first all-zero output report) is dropped quietly; a count above 7 (seen
/// on the wire while the device wakes) makes the report and the run it ends garbage. Every
/// decision looks at no more than `OmronResponse.maximumReports` reports: linear in the input.
public struct OmronResponseDecoder: FrameDecoder, Sendable {
    public init() {}

    public var maximumFrameLength: Int { OmronResponse.maximumReports * OmronResponse.reportLength }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<OmronResponse> {
        let size = OmronResponse.reportLength
        var reports = 0
        while true {
            let start = reports * size
            guard b.count >= start + size else { return .needMore }
            let count = Int(b[start])
            if count == 0 {
                // An empty report ends nothing and starts nothing: drop it, or the run before it.
                if reports == 0 { return .skip(count: size, because: .garbage) }
                return .skip(count: start, because: .malformed("answer cut by an empty report"))
            }
            guard count <= OmronResponse.dataPerReport else {
                return .skip(count: start + size, because: .malformed("report count byte above 7"))
            }
            reports += 1
            let ends = count < OmronResponse.dataPerReport || isOff(b, at: start)
            if ends { return .frame(response(b, reports: reports), consumed: reports * size) }
            if reports == OmronResponse.maximumReports {
                return .skip(count: reports * size, because: .oversized)
            }
        }
    }

    /// The run of answers at the start of `bytes`, each handed to `body`.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (OmronResponse) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    /// Whether the report at `start` carries the `OFF` that answers `END` (sent with count 5 by
    /// the devices in the public captures; the older notes show count 7).
    @usableFromInline
    func isOff(_ b: UnsafeRawBufferPointer, at start: Int) -> Bool {
        b[start] >= 3 && b[start + 1] == UInt8(ascii: "O") && b[start + 2] == UInt8(ascii: "F") && b[start + 3] == UInt8(ascii: "F")
    }

    /// The valid bytes of the first `reports` reports, joined.
    @usableFromInline
    func response(_ b: UnsafeRawBufferPointer, reports: Int) -> OmronResponse {
        let size = OmronResponse.reportLength
        let joined = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: reports * OmronResponse.dataPerReport) { out -> InlineBytes in
            var n = 0
            for r in 0..<reports {
                let start = r * size
                let count = min(Int(b[start]), OmronResponse.dataPerReport)
                for i in 0..<count {
                    out[n] = b[start + 1 + i]
                    n += 1
                }
            }
            return InlineBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[0..<n])) ?? InlineBytes()
        }
        return OmronResponse(bytes: joined, reports: reports)
    }
}
