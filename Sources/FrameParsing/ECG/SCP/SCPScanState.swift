#if canImport(Glibc)
import Glibc
#endif

/// What `SCPFrameDecoder` knows about the pending bytes, so that its cost is linear in the
/// bytes fed however they are chunked and whatever they hold.
///
/// The decoder's rule needs, at a record start `p` claiming `L` bytes, whether a whole record
/// with a good CRC starts after `p` and ends by `min(bytes in view, p + L - 1)`. Asked afresh on
/// every call that is a scan of everything pending plus a CRC pass per candidate: quadratic in
/// the pending bytes when they come in small reads, and a CRC over up to 1 MiB per candidate
/// when record headers repeat. This state answers it incrementally. Invariant, after
/// `look(to: t)` with `t` the farthest position looked at so far (`reach`):
/// - every `SCPECG` marker that ends by `reach` and whose record would start at or after the
///   decode position has been found once (`markerScan`), and every such start with a
///   plausible header and length is a `Candidate`, in order of position;
/// - `register` is the CRC register (from 0) over the bytes since `registerBase` up to
///   `registerAt`, which never runs past a byte a future candidate's CRC must start from; every
///   candidate holds the register where its CRC starts, and once its end is by `reach` its
///   CRC is known (`CCITTFalseShift`: a few multiplications, not a pass over its length);
/// - `good` holds the candidates whose CRC matched, in order of their end (candidates are
///   checked in that order), so the one after the decode position with the nearest end is
///   its first live entry.
/// Each byte is searched for the marker once and passes the CRC register once; each candidate
/// costs a header check, a heap push and pop and one shift. Positions count from where this
/// state began; the stream moves `origin` forward with every byte it drops.
public struct SCPScanState: DecoderScanState, Sendable {
    /// A record start found by its marker, with what its CRC check needs.
    struct Candidate: Sendable {
        var start: Int
        var end: Int
        var carried: UInt16
        /// The register at `start + 2`, where the record CRC begins.
        var startRegister: UInt16 = 0
        /// The CRC computed over `start + 2 ..< end`, once `end` is by `reach`.
        var computed: UInt16?
    }

    /// The position of the decoder's first byte.
    var origin = 0
    /// The farthest position whose bytes have been looked at.
    var reach = 0
    /// Markers starting before this position have been looked for.
    var markerScan = 0
    var registerAt = 0
    var register: UInt16 = 0
    var candidates: [Candidate] = []
    /// Candidates before this index start before `origin`.
    var candidateHead = 0
    /// The identifier (count of all candidates before it) of `candidates[0]`.
    var firstID = 0
    /// Candidates whose CRC is not known yet, as a binary min-heap on (end, identifier).
    var unchecked: [(end: Int, id: Int)] = []
    /// Candidates with a good CRC, in order of their end.
    var good: [(start: Int, end: Int)] = []
    var goodHead = 0
    /// Bytes searched, run through the CRC register or read in a header, plus a fixed
    /// charge per candidate: the work the tests hold linear.
    var work = 0

    public init() {}

    /// The bytes looked at so far: searched, run through the CRC register or read in a
    /// header, with a fixed charge per candidate. Tests and benchmarks hold it linear.
    public var examined: Int { work }

    public mutating func advance(by count: Int) {
        origin += count
        while candidateHead < candidates.count, candidates[candidateHead].start < origin { candidateHead += 1 }
        if candidateHead > 64, candidateHead * 2 > candidates.count {
            candidates.removeFirst(candidateHead)
            firstID += candidateHead
            candidateHead = 0
        }
    }

    /// The end of the nearest-ending whole record with a good CRC that starts after `origin`,
    /// among those ending by `reach`.
    mutating func nearestLaterGoodEnd() -> Int? {
        while goodHead < good.count, good[goodHead].start <= origin { goodHead += 1 }
        if goodHead > 64, goodHead * 2 > good.count {
            good.removeFirst(goodHead)
            goodHead = 0
        }
        return goodHead < good.count ? good[goodHead].end : nil
    }

    /// The candidate starting at `origin`, if its marker has been reached.
    func candidateAtOrigin() -> Candidate? {
        candidateHead < candidates.count && candidates[candidateHead].start == origin ? candidates[candidateHead] : nil
    }

    /// Looks at the bytes up to `target` (at most `origin + b.count`), `b` starting at `origin`:
    /// finds the candidates whose marker ends by then and checks every candidate ending by then.
    mutating func look(_ b: UnsafeRawBufferPointer, to target: Int) {
        guard target > reach, let base = b.baseAddress else { return }
        reach = target
        let marker = SCPFrameDecoder.marker, markerOffset = SCPFrameDecoder.markerOffset
        // No candidate starts before the decode position, so no register is needed before it.
        markerScan = max(markerScan, origin + markerOffset)
        if registerAt < origin { registerAt = origin; register = 0 }
        let firstNew = candidates.count
        let scanEnd = target - marker.count + 1
        while markerScan < scanEnd {
            let from = markerScan - origin
            guard let hit = memchr(base + from, Int32(marker[0]), scanEnd - markerScan) else {
                work += scanEnd - markerScan
                markerScan = scanEnd
                break
            }
            let at = UnsafeRawPointer(hit) - base
            work += at - from + 1
            markerScan = origin + at + 1
            guard (1..<marker.count).allSatisfy({ b[at + $0] == marker[$0] }) else { continue }
            addCandidate(b, at: at - markerOffset)
        }
        // A candidate found later has its marker at `markerScan` or after, so its CRC starts
        // at `markerScan - 14` or after: the register may run that far.
        let registerTarget = min(target, markerScan - markerOffset + 2)
        var next = firstNew
        while true {
            let nextStart = next < candidates.count ? candidates[next].start + 2 : Int.max
            let nextEnd = unchecked.first.map { $0.end } ?? Int.max
            let stop = min(nextStart, nextEnd)
            guard stop <= registerTarget else { break }
            runRegister(b, to: stop)
            if nextStart <= nextEnd {
                candidates[next].startRegister = register
                next += 1
            } else {
                check(popUnchecked(), endRegister: register)
            }
        }
        runRegister(b, to: max(registerAt, registerTarget))
        // Ends past the register but in view: at most 19 bytes past it each.
        while let first = unchecked.first, first.end <= target {
            let entry = popUnchecked()
            guard entry.id - firstID >= candidateHead else { continue }
            let tail = UnsafeRawBufferPointer(rebasing: b[(registerAt - origin)..<(entry.end - origin)])
            work += tail.count
            check(entry, endRegister: CCITTFalse.update(register, tail))
        }
    }

    /// Adds the record start at `b[i]` if its header is plausible and its length acceptable.
    mutating func addCandidate(_ b: UnsafeRawBufferPointer, at i: Int) {
        work += SCPFrameDecoder.markerOffset
        guard b[i + 8] == 0, b[i + 9] == 0,
              case let .length(length) = SCPFrameDecoder.statedLength(UnsafeRawBufferPointer(rebasing: b[i...])) else { return }
        let start = origin + i
        candidates.append(Candidate(start: start, end: start + length, carried: SCPBytes.u16(b, i)))
        pushUnchecked((start + length, firstID + candidates.count - 1))
    }

    /// Records the CRC of the candidate `entry` names, from the register at its end.
    mutating func check(_ entry: (end: Int, id: Int), endRegister: UInt16) {
        let index = entry.id - firstID
        guard index >= candidateHead else { return }
        let c = candidates[index]
        let crc = CCITTFalseShift.crc(from: c.startRegister, to: endRegister, length: c.end - c.start - 2)
        candidates[index].computed = crc
        if crc == c.carried { good.append((c.start, c.end)) }
    }

    mutating func runRegister(_ b: UnsafeRawBufferPointer, to position: Int) {
        guard position > registerAt else { return }
        work += position - registerAt
        register = CCITTFalse.update(register, UnsafeRawBufferPointer(rebasing: b[(registerAt - origin)..<(position - origin)]))
        registerAt = position
    }

    mutating func pushUnchecked(_ entry: (end: Int, id: Int)) {
        unchecked.append(entry)
        var i = unchecked.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(unchecked[i], unchecked[parent]) else { break }
            unchecked.swapAt(i, parent)
            i = parent
        }
    }

    mutating func popUnchecked() -> (end: Int, id: Int) {
        let top = unchecked[0]
        let last = unchecked.removeLast()
        guard !unchecked.isEmpty else { return top }
        unchecked[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < unchecked.count, Self.before(unchecked[l], unchecked[m]) { m = l }
            if r < unchecked.count, Self.before(unchecked[r], unchecked[m]) { m = r }
            guard m != i else { return top }
            unchecked.swapAt(i, m)
            i = m
        }
    }

    static func before(_ a: (end: Int, id: Int), _ b: (end: Int, id: Int)) -> Bool {
        a.end != b.end ? a.end < b.end : a.id < b.id
    }
}
