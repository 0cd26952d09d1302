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
        .codec("LifeScan", kind: .binary, decoder: LifeScanFrameDecoder()) { rng, capture in
            // A record dump as the line carries it: one read-record request in eight, the
            // rest UltraEasy record replies (time and value, random).
            let r = rng.next()
            if r & 7 == 0 {
                capture += LifeScanRequest.readRecord(.ultraEasy, index: UInt16(truncatingIfNeeded: r >> 8)).frame().bytes
            } else {
                let time = (0..<4).map { UInt8(truncatingIfNeeded: r >> (8 + 8 * $0)) }
                let value: [UInt8] = [UInt8(truncatingIfNeeded: r >> 40), UInt8(truncatingIfNeeded: r >> 48) & 1, 0, 0]
                capture += LifeScanFrame(link: [], message: [0x05, 0x06] + time + value)!.bytes
            }
        },
        .codec("CodeFree", kind: .binary, decoder: CodeFreeFrameDecoder(direction: .meterToHost)) { rng, capture in
            // Record frames: 17-byte messages with random date, value and trailing bytes.
            let r = rng.next()
            let message: [UInt8] = [0x13, 0x00, UInt8(r % 30), UInt8(1 + r >> 8 % 12), UInt8(1 + r >> 16 % 28),
                                    UInt8(r >> 24 % 24), UInt8(r >> 32 % 60), 0x00, UInt8(truncatingIfNeeded: r >> 40), 0x10]
                + (0..<7).map { UInt8(truncatingIfNeeded: r >> (8 * $0)) }
            capture += CodeFreeFrame(direction: .meterToHost, message: message)!.bytes
        },
        .codec("Ultra2", kind: .text, decoder: Ultra2LineDecoder()) { rng, capture in
            // `DM?` record lines, 61 bytes with the checksum and CR LF. Each is written LF first
            // (`LF text CCCC CR`): the meter's byte stream shifted by one byte, so the noise lands
            // between CR and LF, where the decoder skips exactly the noise (after an LF it skips
            // the LF too, as a separator in front of garbage).
            let r = rng.next()
            let value = String(20 + r % 580)
            let padded = String(repeating: " ", count: 3 - value.count) + value
            let text = "P \"SAT\",\"03/\(two(1 + r >> 12 % 28))/15\",\"\(two(r >> 20 % 24)):\(two(r >> 28 % 60)):\(two(r >> 36 % 60))   \","
                + "\"  \(padded) \",\"N\",\"\(two(r >> 44 % 12))\", 00"
            let line = Ultra2Line.encode(text)
            capture.append(0x0A)
            capture += line.dropLast()
        },
        .codec("FreeStyle", kind: .text, decoder: FreeStyleLineDecoder()) { rng, capture in
            // `$xmem` result lines, 32 bytes with CR LF.
            let r = rng.next()
            let months = ["Jan ", "Feb ", "Mar ", "Apr ", "May ", "June", "July", "Aug ", "Sep ", "Oct ", "Nov ", "Dec "]
            let value = String(20 + r % 480)
            let line = "\(String(repeating: "0", count: 3 - value.count) + value)  \(months[Int(r >> 12 % 12)]) \(two(1 + r >> 16 % 28)) 2024 "
                + "\(two(r >> 24 % 24)):\(two(r >> 32 % 60)) G 0x00\r\n"
            capture += Array(line.utf8)
        },
        hl7Codec(),
        .aa55Kiosk,
    ]
}

/// `n` as two decimal digits.
private func two(_ n: UInt64) -> String {
    n < 10 ? "0\(n)" : String(n)
}
