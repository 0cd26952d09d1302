/// Searches a set of frames for a checksum: which family, over which bytes, carried where.
/// A finding must hold for all frames but one, or 90 % of them in a long capture (a capture
/// may hold corrupted frames), and for at least three frames that differ in their covered bytes.
enum ChecksumSearch {
    /// A family tried, computing over the covered bytes.
    private struct Family: Sendable {
        var name: String
        var width: Int
        /// sum8 and xor8 may carry a device-chosen seed: the difference is then constant.
        var seeded: Bool
        var compute: @Sendable ([UInt8]) -> UInt16
    }

    private static let families: [Family] = [
        Family(name: "crc16-ccitt-false", width: 2, seeded: false) { CRC16.ccittFalse.checksum($0) },
        Family(name: "crc16-xmodem", width: 2, seeded: false) { CRC16.xmodem.checksum($0) },
        Family(name: "crc16-kermit", width: 2, seeded: false) { CRC16.kermit.checksum($0) },
        Family(name: "crc16-modbus", width: 2, seeded: false) { CRC16.modbus.checksum($0) },
        Family(name: "crc16-arc", width: 2, seeded: false) { CRC16.arc.checksum($0) },
        Family(name: "sum16", width: 2, seeded: false) { Checksum.sum16($0) },
        Family(name: "crc8-maxim", width: 1, seeded: false) { UInt16(CRC8.maxim.checksum($0)) },
        Family(name: "crc8-smbus", width: 1, seeded: false) { UInt16(CRC8.smbus.checksum($0)) },
        Family(name: "sum8", width: 1, seeded: true) { UInt16(Checksum.sum8($0)) },
        Family(name: "xor8", width: 1, seeded: true) { UInt16(Checksum.xor8($0)) },
    ]

    /// The best checksum over `frames`, or nil when none holds.
    static func find(_ frames: [[UInt8]], endMarker: FrameSketch.EndMarker?, startCount: Int) -> FrameSketch.ChecksumFinding? {
        guard frames.count >= 3, let shortest = frames.map(\.count).min(), shortest >= 3 else { return nil }
        // Where the checksum may end: the last byte, or just before an end marker.
        var ends = [1]
        if let m = endMarker, m.fromEnd <= 2 { ends = [m.fromEnd + 1] + ends }
        var best: FrameSketch.ChecksumFinding?
        for family in families {
            for fromEnd in ends {
                let widthEnd = fromEnd + family.width - 1  // distance of the checksum's first byte from the end
                guard shortest > widthEnd + 1 else { continue }
                for bigEndian in family.width == 1 ? [false] : [false, true] {
                    for coverFrom in 0...min(startCount + 1, shortest - widthEnd - 1) {
                        for excludes in [widthEnd, widthEnd + 1] where excludes < shortest - coverFrom {
                            let result = score(frames, family, fromEnd: fromEnd, bigEndian: bigEndian,
                                               coverFrom: coverFrom, excludes: excludes)
                            guard let result, result.matching >= 3, frames.count - result.matching <= max(1, frames.count / 10) else { continue }
                            let finding = FrameSketch.ChecksumFinding(
                                family: family.name, seed: result.seed, width: family.width, bigEndian: bigEndian,
                                fromEnd: fromEnd, coverFrom: coverFrom, coverExcludesLast: excludes,
                                matching: result.matching, frames: frames.count)
                            if best == nil || better(finding, than: best!) { best = finding }
                        }
                    }
                }
            }
        }
        return best
    }

    /// Frames that carry the family's value over the range; for seeded families the most common
    /// difference is the seed. Nil when the covered bytes are not varied enough to tell.
    private static func score(_ frames: [[UInt8]], _ family: Family, fromEnd: Int, bigEndian: Bool,
                              coverFrom: Int, excludes: Int) -> (matching: Int, seed: UInt8)? {
        var diffs = [Int](repeating: 0, count: 256)
        var distinct = Set<[UInt8]>()
        var exact = 0
        for f in frames {
            let covered = Array(f[coverFrom..<(f.count - excludes)])
            distinct.insert(covered)
            let value = family.compute(covered)
            let last = f.count - fromEnd
            let carried: UInt16 = family.width == 1 ? UInt16(f[last])
                : bigEndian ? UInt16(f[last - 1]) << 8 | UInt16(f[last]) : UInt16(f[last]) << 8 | UInt16(f[last - 1])
            if family.seeded {
                let d = family.name == "xor8" ? UInt8(truncatingIfNeeded: value) ^ UInt8(truncatingIfNeeded: carried)
                    : UInt8(truncatingIfNeeded: carried) &- UInt8(truncatingIfNeeded: value)
                diffs[Int(d)] += 1
            } else if value == carried {
                exact += 1
            }
        }
        guard distinct.count >= 3 else { return nil }
        if family.seeded {
            let seed = (0..<256).max { diffs[$0] < diffs[$1] }!
            return (diffs[seed], UInt8(seed))
        }
        return (exact, 0)
    }

    /// More matching frames first; then an unseeded family, a wider checksum, a wider range.
    private static func better(_ a: FrameSketch.ChecksumFinding, than b: FrameSketch.ChecksumFinding) -> Bool {
        if a.matching != b.matching { return a.matching > b.matching }
        if (a.seed == 0) != (b.seed == 0) { return a.seed == 0 }
        if a.width != b.width { return a.width > b.width }
        let aSpan = -a.coverFrom - a.coverExcludesLast, bSpan = -b.coverFrom - b.coverExcludesLast
        return aSpan > bSpan
    }
}
