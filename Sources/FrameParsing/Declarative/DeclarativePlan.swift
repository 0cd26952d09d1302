/// A declarative protocol compiled once per profile load: the frame decoder's tables, and for
/// the mapper which readings each record type completes and which records each reading reads.
public struct DeclarativePlan: Sendable, Equatable {
    public let spec: DeclarativeSpec
    public let decoder: DeclarativeFrameDecoder
    /// For each record type, the indexes of the readings it completes.
    let readingsByTrigger: [[Int]]
    /// For each reading, the record types it reads other than its trigger, ascending.
    let otherRecords: [[Int]]
    /// The compiled checksum, for frames the session sends.
    public let checksum: CompiledChecksum?

    public init(_ spec: DeclarativeSpec) {
        self.spec = spec
        decoder = DeclarativeFrameDecoder(spec)
        checksum = spec.frame.checksum.map(CompiledChecksum.init)
        var byTrigger = [[Int]](repeating: [], count: spec.records.count)
        var others: [[Int]] = []
        for (i, r) in spec.readings.enumerated() {
            byTrigger[r.trigger].append(i)
            var refs = [r.time] + r.flags + r.components.map(\.value) + r.conditions.map(\.field)
            if let v = r.value { refs.append(v) }
            if let p = r.patient { refs.append(p) }
            if case let .field(u) = r.unit { refs.append(u) }
            for c in r.components { if case let .field(u) = c.unit { refs.append(u) } }
            others.append(Set(refs.map(\.record)).subtracting([r.trigger]).sorted())
        }
        readingsByTrigger = byTrigger
        otherRecords = others
    }

    /// Two plans are the same when compiled from the same spec.
    public static func == (a: DeclarativePlan, b: DeclarativePlan) -> Bool { a.spec == b.spec }

    /// The bytes of a command with the loop index filled in and the checksum computed.
    public func frame(for command: CommandSpec, index: Int = 0) -> [UInt8] {
        var out = command.tokens.map { t -> UInt8 in
            switch t {
            case let .byte(b): return b
            case .indexLow: return UInt8(truncatingIfNeeded: index)
            case .indexHigh: return UInt8(truncatingIfNeeded: index >> 8)
            case .checksum: return 0
            }
        }
        if command.tokens.contains(.checksum) { checksum?.fill(&out) }
        return escaped(out)
    }

    /// Applies the frame's byte stuffing to everything between the start bytes and the terminator.
    func escaped(_ frame: [UInt8]) -> [UInt8] {
        guard let rule = spec.frame.escape else { return frame }
        let s = spec.frame.start.count, t = spec.frame.terminator.count
        guard frame.count >= s + t else { return frame }
        var out = Array(frame[..<s])
        for b in frame[s..<(frame.count - t)] {
            switch rule {
            case let .xor(byte, mask):
                let special = b == byte || spec.frame.start.contains(b) || spec.frame.terminator.contains(b)
                if special { out += [byte, b ^ mask] } else { out.append(b) }
            case let .pairs(byte, codes):
                if let code = codes.first(where: { $0.value == b })?.key { out += [byte, code] } else { out.append(b) }
            }
        }
        return out + frame[(frame.count - t)...]
    }

    /// Whether `bytes` is exactly one of the commands declared read-only, for some loop index:
    /// the transmit allow-list a live session's transport enforces.
    public func mayTransmit(_ bytes: [UInt8]) -> Bool {
        for c in spec.commands where !c.writes {
            let hasIndex = c.tokens.contains(.indexLow) || c.tokens.contains(.indexHigh)
            if !hasIndex {
                if frame(for: c) == bytes { return true }
                continue
            }
            guard spec.frame.escape == nil, bytes.count == c.tokens.count else { continue }
            var index = 0
            if let l = c.tokens.firstIndex(of: .indexLow) { index |= Int(bytes[l]) }
            if let h = c.tokens.firstIndex(of: .indexHigh) { index |= Int(bytes[h]) << 8 }
            if frame(for: c, index: index) == bytes { return true }
        }
        return false
    }
}
