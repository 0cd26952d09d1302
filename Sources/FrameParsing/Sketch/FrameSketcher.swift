/// Looks at a capture of an unknown device and guesses its framing: printable lines or binary
/// frames, the start bytes, the length rule, an end marker, and which checksum family over which
/// range matches every frame. The output of `pocgate profile sketch`.
///
/// Binary framing is found by trying every (start byte, length rule) pair among the capture's
/// frequent bytes and keeping the one whose frames chain back to back over most of the capture;
/// the checksum is then searched over that pair's frames (`ChecksumSearch`).
public struct FrameSketcher: Sendable {
    /// Frames a finding needs before it is reported.
    public var minimumFrames = 3

    public init() {}

    /// The sketch of `bytes` (what the device sent).
    public func sketch(_ bytes: [UInt8]) -> FrameSketch {
        if let text = TextSketcher.sketch(bytes) {
            var s = FrameSketch(encoding: .text)
            s.text = text
            s.totalBytes = bytes.count
            s.frames = text.lines
            return s
        }
        var s = FrameSketch(encoding: .binary)
        s.totalBytes = bytes.count
        // The few segmentations that chain over the most bytes; the checksum decides between
        // them (a frame boundary shifted by a few bytes chains just as well, but no checksum
        // holds for it).
        var best: (sketch: FrameSketch, score: (Int, Int, Int))?
        for seg in topSegmentations(bytes) {
            let frames = seg.frames.map { Array(bytes[$0]) }
            var c = s
            c.start = startBytes(frames, first: seg.start)
            c.length = seg.rule
            c.frames = frames.count
            c.coveredBytes = seg.covered
            c.frameLengths = Array(Set(frames.map(\.count))).sorted()
            c.endMarker = endMarker(frames)
            c.checksum = ChecksumSearch.find(frames, endMarker: c.endMarker, startCount: c.start.count)
            c.recordTypeOffsets = recordTypes(frames, skip: c)
            let score = (c.checksum?.matching ?? 0, seg.covered, -Self.rank(seg.rule))
            if best == nil || score > best!.score { best = (c, score) }
        }
        return best?.sketch ?? s
    }

    // MARK: - Segmentation

    struct Segmentation {
        var start: UInt8
        var rule: FrameSketch.LengthRule
        var frames: [Range<Int>]
        var covered: Int
    }

    /// The (start, rule) pairs whose frames chain over the most bytes, best first: every pair
    /// within 90 % of the best coverage, at most eight.
    func topSegmentations(_ bytes: [UInt8]) -> [Segmentation] {
        var all: [Segmentation] = []
        for start in frequentBytes(bytes) {
            for rule in Self.candidateRules {
                guard let seg = segment(bytes, start: start, rule: rule), seg.frames.count >= minimumFrames else { continue }
                all.append(seg)
            }
        }
        all.sort { Self.better($0, than: $1) }
        guard let top = all.first else { return [] }
        return Array(all.prefix { $0.covered * 10 >= top.covered * 9 }.prefix(8))
    }

    /// Whether `a` explains the capture better than `b`: more bytes in chained frames; on a tie
    /// the rule that uses fewer assumptions (a fixed length when every frame has one length).
    static func better(_ a: Segmentation, than b: Segmentation) -> Bool {
        if a.covered != b.covered { return a.covered > b.covered }
        if a.frames.count != b.frames.count { return a.frames.count > b.frames.count }
        return rank(a.rule) < rank(b.rule)
    }

    static func rank(_ rule: FrameSketch.LengthRule) -> Int {
        switch rule {
        case .fixed: return 0
        case let .field(offset, size, _, adjust): return 1 + offset + size + abs(adjust)
        }
    }

    /// Length rules tried: fixed 3…64 bytes, and 1- or 2-byte length fields at offsets 1…3
    /// with the frame length = value + adjust for adjust -2…+6.
    static let candidateRules: [FrameSketch.LengthRule] = {
        var rules: [FrameSketch.LengthRule] = (3...64).map { .fixed($0) }
        for offset in 1...3 {
            for adjust in -2...6 {
                rules.append(.field(offset: offset, size: 1, bigEndian: false, adjust: adjust))
                rules.append(.field(offset: offset, size: 2, bigEndian: false, adjust: adjust))
                rules.append(.field(offset: offset, size: 2, bigEndian: true, adjust: adjust))
            }
        }
        return rules
    }()

    /// The 12 most frequent byte values (frame starts recur once per frame).
    func frequentBytes(_ bytes: [UInt8]) -> [UInt8] {
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] += 1 }
        return (0..<256).filter { counts[$0] >= minimumFrames }
            .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
            .prefix(12).map { UInt8($0) }
    }

    /// Walks `bytes`: at each `start` byte a frame of the rule's length; keeps the frames that
    /// are followed by another start byte or the end of the capture (chained frames).
    func segment(_ bytes: [UInt8], start: UInt8, rule: FrameSketch.LengthRule) -> Segmentation? {
        var frames: [Range<Int>] = []
        var covered = 0
        var p = 0
        let n = bytes.count
        while p < n {
            guard bytes[p] == start, let len = length(bytes, at: p, rule), len >= 3, p + len <= n else { p += 1; continue }
            let end = p + len
            guard end == n || bytes[end] == start else { p += 1; continue }
            frames.append(p..<end)
            covered += len
            p = end
        }
        return frames.isEmpty ? nil : Segmentation(start: start, rule: rule, frames: frames, covered: covered)
    }

    private func length(_ bytes: [UInt8], at p: Int, _ rule: FrameSketch.LengthRule) -> Int? {
        switch rule {
        case let .fixed(n): return n
        case let .field(offset, size, bigEndian, adjust):
            guard p + offset + size <= bytes.count else { return nil }
            let value = size == 1 ? Int(bytes[p + offset])
                : bigEndian ? Int(bytes[p + offset]) << 8 | Int(bytes[p + offset + 1])
                : Int(bytes[p + offset + 1]) << 8 | Int(bytes[p + offset])
            let len = value + adjust
            return len > offset + size && len <= 4096 ? len : nil
        }
    }

    // MARK: - Findings on the frames

    /// The start byte, extended by the bytes after it that every frame shares (a sync word, a
    /// direction byte).
    func startBytes(_ frames: [[UInt8]], first: UInt8) -> [UInt8] {
        var start = [first]
        let shortest = frames.map(\.count).min() ?? 0
        var i = 1
        while i < min(shortest - 1, 3), frames.allSatisfy({ $0[i] == frames[0][i] }) {
            start.append(frames[0][i])
            i += 1
        }
        return start
    }

    /// A byte every frame carries at the same distance (1…3) from its end, when frames differ.
    func endMarker(_ frames: [[UInt8]]) -> FrameSketch.EndMarker? {
        guard frames.count >= minimumFrames else { return nil }
        for k in 1...3 {
            guard frames.allSatisfy({ $0.count > k + 1 }) else { continue }
            let v = frames[0][frames[0].count - k]
            if frames.allSatisfy({ $0[$0.count - k] == v }) { return FrameSketch.EndMarker(fromEnd: k, value: v) }
        }
        return nil
    }

    /// Offsets after the start bytes (and before any length field and checksum) where the byte
    /// takes between 2 and 8 values over all frames: likely command or record types.
    func recordTypes(_ frames: [[UInt8]], skip s: FrameSketch) -> [(offset: Int, values: [UInt8])] {
        guard frames.count >= minimumFrames, let shortest = frames.map(\.count).min() else { return [] }
        var lengthOffsets = Set<Int>()
        if case let .field(offset, size, _, _)? = s.length { lengthOffsets = Set(offset..<(offset + size)) }
        var out: [(offset: Int, values: [UInt8])] = []
        for offset in s.start.count..<min(shortest, 6) where !lengthOffsets.contains(offset) {
            if let c = s.checksum, offset >= shortest - c.fromEnd - c.width + 1 { break }
            let values = Set(frames.map { $0[offset] })
            if (2...8).contains(values.count) { out.append((offset, values.sorted())) }
        }
        return Array(out.prefix(2))
    }
}
