import FrameParsing

/// Whole TaiDoc dumps as a meter answers a safe session: wake echo, model, serial halves,
/// clock, record count, then time and value replies for every record.
enum TaiDocDumpCapture {
    /// Meter→host frames of `dumps` dumps of `recordsPerDump` records each, decoded once
    /// (framing is measured elsewhere), with the index where each dump starts.
    static func frames(dumps: Int, recordsPerDump: Int) -> (frames: [TaiDocFrame], starts: [Int]) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        let framesPerDump = 6 + 2 * recordsPerDump
        for d in 0..<dumps {
            starts.append(d * framesPerDump)
            bytes += dump(serial: UInt32(d), records: recordsPerDump)
        }
        var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
        var frames: [TaiDocFrame] = []
        frames.reserveCapacity(dumps * framesPerDump)
        bytes.withUnsafeBytes { stream.forEachFrame(in: $0) { frames.append($0) } }
        precondition(frames.count == dumps * framesPerDump, "dump capture did not decode")
        return (frames, starts)
    }

    static func dump(serial: UInt32, records: Int) -> [UInt8] {
        var out = reply(0x22, (0, 0, 0, 0))
        out += reply(0x24, (0x77, 0x42, 0, 0))
        out += reply(0x28, (UInt8(truncatingIfNeeded: serial), UInt8(truncatingIfNeeded: serial >> 8), 0x02, 0x01))
        out += reply(0x27, (0x08, 0x07, 0x06, 0x05))
        out += reply(0x23, (0xCF, 0x30, 0x1E, 0x08))
        out += reply(0x2B, (UInt8(records & 0xFF), UInt8(records >> 8), 0, 0))
        var rng = SplitMix(seed: UInt64(serial))
        for i in 0..<records {
            // Distinct minutes in 2024; glucose 20…600 mg/dL with a random meal context.
            let minute = i % 60, hour = (i / 60) % 24, day = 1 + (i / 1440) % 28, month = 1 + (i / 40320) % 12
            let word = UInt16(24 << 9 | month << 5 | day)
            out += reply(0x25, (UInt8(word & 0xFF), UInt8(word >> 8), UInt8(minute), UInt8(hour)))
            let r = rng.next()
            let value = UInt16(20 + r % 581)
            out += reply(0x26, (UInt8(value & 0xFF), UInt8(value >> 8), 0, UInt8(truncatingIfNeeded: (r >> 32) % 3) << 6))
        }
        return out
    }

    static func reply(_ command: UInt8, _ payload: (UInt8, UInt8, UInt8, UInt8)) -> [UInt8] {
        TaiDocFrame(command: command, payload: payload, direction: .meterToHost).bytes
    }
}

/// One pass of dump assembly: every dump's frames through a fresh `TaiDocDump`, every record
/// into a `Reading`. Returns the readings made and a digest of them.
func assembleDumps(_ frames: [TaiDocFrame], starts: [Int]) -> (readings: Int, digest: Int) {
    var readings = 0
    var digest = 0
    for (i, start) in starts.enumerated() {
        let end = i + 1 < starts.count ? starts[i + 1] : frames.count
        var dump = TaiDocDump()
        for frame in frames[start..<end] {
            guard case let .record(record) = dump.consume(frame) else { continue }
            if case let .success(made) = record.readings(profileID: "taidoc-td4277", serial: dump.serial ?? "unknown",
                                                          model: "TD-\(dump.model ?? "unknown")") {
                readings += made.count
                digest &+= made.reduce(0) { $0 + $1.recordKey.utf8.count }
            }
        }
    }
    return (readings, digest)
}
