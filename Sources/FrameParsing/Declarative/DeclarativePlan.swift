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

    /// Whether `bytes` may leave the gateway: the transmit allow-list a live session's transport
    /// enforces, by bytes, not by names. The bytes must be exactly one of the commands declared
    /// read-only (for some loop index), and none of the commands declared `writes: true` nor a
    /// known write of the protocol family (`FamilyWrites`) may produce the same bytes: a
    /// read-only name on a write's bytes never makes them sendable.
    public func mayTransmit(_ bytes: [UInt8]) -> Bool {
        guard spec.commands.contains(where: { !$0.writes && produces($0, bytes) }) else { return false }
        if spec.commands.contains(where: { $0.writes && produces($0, bytes) }) { return false }
        return FamilyWrites.write(bytes, frame: spec.frame) == nil
    }

    /// Whether `command` gives exactly `bytes` for some loop index.
    public func produces(_ command: CommandSpec, _ bytes: [UInt8]) -> Bool {
        guard command.usesIndex else { return frame(for: command) == bytes }
        guard spec.frame.escape == nil, bytes.count == command.tokens.count else { return false }
        var index = 0
        if let l = command.tokens.firstIndex(of: .indexLow) { index |= Int(bytes[l]) }
        if let h = command.tokens.firstIndex(of: .indexHigh) { index |= Int(bytes[h]) << 8 }
        return frame(for: command, index: index) == bytes
    }

    /// A read-only command that can send the bytes of a write.
    public struct CommandClash: Sendable, Equatable {
        /// The command declared `writes: false`.
        public var command: String
        /// The write it collides with: "command 'x' (writes: true)" or a family write.
        public var write: String
        /// The bytes both send.
        public var bytes: [UInt8]
    }

    /// Every read-only command that can produce a `writes: true` command's bytes or a known
    /// write of the protocol family, for some loop index (the first such bytes each). Such a
    /// command is never sent with those bytes (`mayTransmit`); `profile validate` names it.
    public func clashes() -> [CommandClash] {
        var out: [CommandClash] = []
        let readOnly = spec.commands.filter { !$0.writes }
        func add(_ c: CommandSpec, _ write: String, _ bytes: [UInt8]) {
            if !out.contains(where: { $0.command == c.name }) { out.append(CommandClash(command: c.name, write: write, bytes: bytes)) }
        }
        // Fixed read-only frames by their bytes, so each of a write's frames costs one lookup
        // for them and one `produces` per templated read-only command (a few at most).
        var fixed: [[UInt8]: [CommandSpec]] = [:]
        for c in readOnly where !c.usesIndex { fixed[frame(for: c), default: []].append(c) }
        let templated = readOnly.filter(\.usesIndex)
        for w in spec.commands where w.writes {
            for i in w.indexRange {
                let bytes = frame(for: w, index: i)
                for c in fixed[bytes] ?? [] { add(c, "command '\(w.name)' (writes: true)", bytes) }
                for c in templated where produces(c, bytes) { add(c, "command '\(w.name)' (writes: true)", bytes) }
            }
        }
        guard FamilyWrites.isTaiDocShaped(spec.frame) else { return out }
        for c in readOnly {
            if !mayProduceTaiDocWrite(c) { continue }
            for i in c.indexRange {
                let bytes = frame(for: c, index: i)
                if let write = FamilyWrites.write(bytes, frame: spec.frame) {
                    add(c, write, bytes)
                    break
                }
            }
        }
        return out
    }

    /// False when no index can make `c`'s frame a TaiDoc write, decided from its first two
    /// tokens without building its up to 65,536 frames (which cost tens of milliseconds of
    /// every start). `FamilyWrites.write` looks only at the length and the first two bytes.
    /// When both are literal, every unstuffed frame has them; a stuffed frame is longer than
    /// its tokens, so it can reach the write length only if it was shorter, and then its second
    /// byte is the literal or the escape byte. Anything else is left to the full check.
    func mayProduceTaiDocWrite(_ c: CommandSpec) -> Bool {
        guard c.tokens.count >= 2, case let .byte(first) = c.tokens[0], case let .byte(second) = c.tokens[1] else { return true }
        var candidates = [second]
        if let rule = spec.frame.escape {
            switch rule {
            case let .xor(byte, _): candidates.append(byte)
            case let .pairs(byte, _): candidates.append(byte)
            }
        }
        for b in candidates {
            var probe = [UInt8](repeating: 0, count: TaiDocFrame.length)
            probe[0] = first
            probe[1] = b
            if FamilyWrites.write(probe, frame: spec.frame) != nil { return true }
        }
        return false
    }
}

extension CommandSpec {
    /// Whether the bytes hold the loop index.
    public var usesIndex: Bool { tokens.contains(.indexLow) || tokens.contains(.indexHigh) }

    /// The loop indexes that give different bytes: one when the index is not used, 256 with
    /// the low byte only, 65,536 with the high byte.
    var indexRange: Range<Int> {
        tokens.contains(.indexHigh) ? 0..<65_536 : tokens.contains(.indexLow) ? 0..<256 : 0..<1
    }
}
