import FrameParsing

/// Adversarial inputs for every framing decoder: the shapes that cost a decoder most per byte,
/// each a short unit repeated to the size measured, next to the same decoder's normal capture.
///
/// Shapes (not every codec has all of them):
/// - `start run`: the codec's start byte(s) over and over, so every position is a false start;
/// - `wrong last byte`: a valid frame with its last byte changed (a bad checksum, CRC or
///   terminator), back to back: each costs a full frame check and then one byte;
/// - `cut frames`: valid frames each missing its last byte, back to back: every frame claims
///   bytes it never completes and the next frame's start lies inside the claim;
/// - `maximal claim`: a header that passes the decoder's checks and claims the largest length
///   the framing allows, repeated, never completed;
/// - codec-specific shapes (runs of separators, unterminated lines and blocks).
struct HostileCodec {
    let codec: CodecBench
    /// Name and repeated unit of each shape.
    let shapes: [(name: String, unit: [UInt8])]

    /// The sizes each shape is measured at: their time ratio is 4 for a linear decoder.
    static let sizes = [1 << 20, 4 << 20]

    /// `unit` repeated to exactly `bytes` bytes.
    static func repeated(_ unit: [UInt8], to bytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes + unit.count)
        while out.count < bytes { out += unit }
        return Array(out.prefix(bytes))
    }

    /// One valid frame of `codec`, as its capture generator writes it.
    static func frame(_ codec: CodecBench, seed: UInt64 = 17) -> [UInt8] {
        var rng = SplitMix(seed: seed)
        var out: [UInt8] = []
        codec.appendFrame(&rng, &out)
        return out
    }

    /// The generic shapes plus `extra`, for a codec whose frames start with `start`.
    static func make(_ codec: CodecBench, start: [UInt8], extra: [(String, [UInt8])] = []) -> HostileCodec {
        let valid = frame(codec)
        var wrong = valid
        wrong[wrong.count - 1] ^= 0x5A
        let shapes: [(String, [UInt8])] = [("start run", start), ("wrong last byte", wrong), ("cut frames", Array(valid.dropLast()))]
        return HostileCodec(codec: codec, shapes: (shapes + extra).map { (name: $0.0, unit: $0.1) })
    }
}

/// Every framing codec in Sources/FrameParsing with its hostile shapes.
func hostileCodecs() -> [HostileCodec] {
    let codecs = parserCodecs()
    func named(_ name: String) -> CodecBench { codecs.first { $0.name == name }! }
    let ascii = { (s: String) in Array(s.utf8) }
    let line300 = ascii(String(repeating: "A", count: 300))
    let scpHeader: [UInt8] = {
        // CRC, record length 1 MiB (the largest), section 0: CRC, id 0, length 136, version, `SCPECG`.
        var h: [UInt8] = [0x00, 0x00] + le32(UInt32(SCPRecord.maximumLength)) + [0x00, 0x00, 0x00, 0x00] + le32(136) + [0x20, 0x20]
        h += SCPFrameDecoder.marker
        return h
    }()
    let ecgHeader = Array(HostileCodec.frame(ecgTransferCodec()).prefix(64))
    return [
        .make(named("TaiDoc"), start: [0x51]),
        .make(named("LifeScan"), start: [0x02], extra: [("maximal claim", [0x02, 0xFF])]),
        .make(named("CodeFree"), start: [0x53], extra: [("maximal claim", [0x53, 0xFF])]),
        .make(named("Ultra2"), start: ascii("P "), extra: [("LF run", [0x0A]), ("unterminated 300-byte lines", [0x0A] + line300)]),
        .make(named("FreeStyle"), start: [0x0D, 0x0A], extra: [("CR run", [0x0D]), ("unterminated line", line300)]),
        .make(astmCodec(), start: [0x02], extra: [("ENQ run", [0x05]), ("unterminated frame", [0x02, 0x31] + line300)]),
        .make(named("HL7 MLLP"), start: [0x0B], extra: [("unterminated block", [0x0B] + line300), ("FS without CR", [0x0B, 0x41, 0x1C])]),
        .make(ieee11073Codec(), start: [0xE7, 0x00], extra: [("maximal claim", [0xE7, 0x00, 0xFF, 0xFF])]),
        .make(named("AA55 kiosk"), start: [0xAA, 0x55], extra: [("maximal claim", [0xAA, 0x55, 0x53, 0xFF])]),
        .make(scpCodec(), start: ascii("SCPECG"), extra: [("maximal claim", scpHeader)]),
        .make(ecgTransferCodec(), start: ascii("PGEC"), extra: [("header only", ecgHeader)]),
        .make(declarativeCodec(), start: [0x51]),
    ]
}

/// The SCP-ECG framing entry: the shipped cart capture's records back to back.
func scpCodec() -> CodecBench {
    let records = ECGBenchData.scpFrames().map(\.bytes)
    return .codec("SCP-ECG", kind: .binary, decoder: SCPFrameDecoder()) { rng, capture in
        capture += records[Int(rng.next() % UInt64(records.count))]
    }
}

/// The declarative TD-4277 decoder over the TaiDoc codec's frames.
func declarativeCodec() -> CodecBench {
    .codec("TD-4277 declarative", kind: .binary, decoder: DeclarativeFrameDecoder(DeclarativeBench.td4277),
           frame: DeclarativeBench.taidoc.appendFrame)
}

/// `v` as four little-endian bytes.
private func le32(_ v: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
}
