import FrameParsing

/// The codecs the parser benchmarks measure, one entry each.
///
/// To add a codec: append one `.codec(…)` entry with its name, whether it is a binary or a
/// text protocol (their throughput targets differ), its decoder, and a closure that appends
/// one valid frame, exactly as the device sends it, to the capture being generated. Each
/// entry gets both framing benchmarks (batch and append + next) over a 64 MiB capture, with
/// MB/s, frames/s, mallocs per frame and the ratio to the `memchr` floor.
func parserCodecs() -> [CodecBench] {
    [
        .codec("TaiDoc", kind: .binary, decoder: TaiDocFrameDecoder(direction: .meterToHost)) { rng, capture in
            // Replies as a dump has them: mostly record time and value, random payloads.
            let r = rng.next()
            let commands: [UInt8] = [0x25, 0x26, 0x25, 0x26, 0x25, 0x26, 0x23, 0x2B]
            capture += TaiDocFrame(command: commands[Int(r & 7)],
                                   payload: (UInt8(truncatingIfNeeded: r >> 8), UInt8(truncatingIfNeeded: r >> 16),
                                             UInt8(truncatingIfNeeded: r >> 24), UInt8(truncatingIfNeeded: r >> 32)),
                                   direction: .meterToHost).bytes
        },
    ]
}
