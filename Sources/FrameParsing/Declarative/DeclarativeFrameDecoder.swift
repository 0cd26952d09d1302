#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The frame decoder of a declarative protocol. Built once per profile load from the
/// `FrameSpec` and the record rules into flat tables (start bytes, length rule, compiled
/// checksum, a 256-entry record dispatch table); `decode` runs only on those tables, so no
/// YAML is interpreted and nothing is allocated per byte or per frame.
public struct DeclarativeFrameDecoder: FrameDecoder, Sendable {
    @usableFromInline let start: InlineBytes
    @usableFromInline let firstStart: UInt8
    /// 0 = fixed, 1 = length field, 2 = terminated.
    @usableFromInline let lengthMode: UInt8
    @usableFromInline let fixedLength: Int
    @usableFromInline let lengthOffset: Int
    @usableFromInline let lengthSize: Int
    @usableFromInline let lengthLittle: Bool
    /// total = base + number (+ trailer for payload counts).
    @usableFromInline let lengthBase: Int
    @usableFromInline let minimumLength: Int
    @usableFromInline let maximum: Int
    @usableFromInline let terminator: InlineBytes
    @usableFromInline let escapeByte: Int
    @usableFromInline let escapeXor: UInt8
    /// When every record tests the same byte exactly: that byte's offset, and the first record
    /// per value (-1 none). Otherwise `dispatchOffset` is -1 and records are tried in order.
    @usableFromInline let dispatchOffset: Int
    /// Every table of the plan behind one reference, so copying the decoder (which
    /// `FrameStream` does per step) costs one reference count, not one per table.
    @usableFromInline let tables: DecoderTables
    /// The 8-byte word kernel, chosen at compile time for fixed 8-byte frames without escaping
    /// or terminator whose check is sum8, xor8 or none: one unaligned load per frame, the start
    /// and required bytes as one masked compare, the checksum as one vector reduction.
    @usableFromInline let word8: Bool
    @usableFromInline let fixedMask: UInt64
    @usableFromInline let fixedValue: UInt64
    @usableFromInline let coverMask: UInt64
    @usableFromInline let carriedShift: UInt64
    /// 0 none, 1 sum8, 2 xor8.
    @usableFromInline let wordCheck: UInt8

    /// Compiles `spec` (already validated by the profile loader).
    public init(_ spec: DeclarativeSpec) {
        let f = spec.frame
        var t_escapeCodes: [Int16] = [], t_dispatch: [Int16] = []
        let t_checksum: CompiledChecksum?, t_required: [ByteRule]
        let t_ruleOffset: [Int], t_ruleMask: [UInt8], t_ruleValue: [UInt8], t_ruleStart: [Int]
        start = InlineBytes(f.start) ?? InlineBytes()
        firstStart = f.start.first ?? 0
        terminator = InlineBytes(f.terminator) ?? InlineBytes()
        maximum = min(f.maximumLength, InlineBytes.capacity)
        let trailer = (f.checksum.map { $0.position < 0 ? $0.family.carriedSize : 0 } ?? 0) + f.terminator.count
        switch f.length {
        case let .fixed(n):
            lengthMode = 0; fixedLength = n; lengthOffset = 0; lengthSize = 0; lengthLittle = false; lengthBase = n
        case let .field(l):
            lengthMode = 1; fixedLength = 0; lengthOffset = l.offset; lengthSize = l.size; lengthLittle = l.order == .little
            switch l.counts {
            case .wholeFrame: lengthBase = l.adjust
            case let .from(o): lengthBase = o + l.adjust
            case .payload: lengthBase = l.offset + l.size + trailer + l.adjust
            }
        case .terminated:
            lengthMode = 2; fixedLength = 0; lengthOffset = 0; lengthSize = 0; lengthLittle = false; lengthBase = 0
        }
        var minimum = max(f.start.count + f.terminator.count, 1)
        if case let .field(l) = f.length { minimum = max(minimum, l.offset + l.size) }
        if let c = f.checksum { minimum = max(minimum, f.start.count + c.family.carriedSize + f.terminator.count) }
        minimumLength = minimum
        switch f.escape {
        case nil:
            escapeByte = -1; escapeXor = 0; t_escapeCodes = []
        case let .xor(byte, mask)?:
            escapeByte = Int(byte); escapeXor = mask; t_escapeCodes = []
        case let .pairs(byte, codes)?:
            escapeByte = Int(byte); escapeXor = 0
            var table = [Int16](repeating: -1, count: 256)
            for (code, value) in codes { table[Int(code)] = Int16(value) }
            t_escapeCodes = table
        }
        t_checksum = f.checksum.map(CompiledChecksum.init)
        t_required = f.require
        var offsets: [Int] = [], masks: [UInt8] = [], values: [UInt8] = [], starts: [Int] = [0]
        for r in spec.records {
            for rule in r.rules {
                offsets.append(rule.offset); masks.append(rule.mask); values.append(rule.value)
            }
            starts.append(offsets.count)
        }
        t_ruleOffset = offsets; t_ruleMask = masks; t_ruleValue = values; t_ruleStart = starts
        // A dispatch table when every record has an exact test of one common non-negative offset.
        let candidates = spec.records.first?.rules.filter { $0.mask == 0xFF && $0.offset >= 0 }.map(\.offset) ?? []
        let common = candidates.first { o in spec.records.allSatisfy { r in r.rules.contains { $0.offset == o && $0.mask == 0xFF } } }
        if let common {
            var table = [Int16](repeating: -1, count: 256)
            for (i, r) in spec.records.enumerated() {
                let v = Int(r.rules.first { $0.offset == common && $0.mask == 0xFF }!.value)
                // 0x1000 + r: the record's only rule is this byte, so the lookup alone decides.
                if table[v] < 0 { table[v] = Int16(r.rules.count == 1 ? 0x1000 + i : i) }
            }
            dispatchOffset = common; t_dispatch = table
        } else {
            dispatchOffset = -1; t_dispatch = []
        }
        var mask: UInt64 = 0, value: UInt64 = 0, cover: UInt64 = 0, shift: UInt64 = 0, check: UInt8 = 0
        var eligible = f.length == .fixed(8) && f.escape == nil && f.terminator.isEmpty
        for (i, b) in f.start.enumerated() {
            mask |= 0xFF << (8 * UInt64(i)); value |= UInt64(b) << (8 * UInt64(i))
        }
        for r in f.require {
            let o = r.offset < 0 ? 8 + r.offset : r.offset
            if o < 0 || o >= 8 || (mask >> (8 * UInt64(o))) & 0xFF != 0 { eligible = false; continue }
            mask |= UInt64(r.mask) << (8 * UInt64(o)); value |= UInt64(r.value) << (8 * UInt64(o))
        }
        if let c = f.checksum {
            let lo = c.from < 0 ? 8 + c.from : c.from, hi = c.to < 0 ? 8 + c.to : c.to, at = c.position < 0 ? 8 + c.position : c.position
            switch c.family {
            case .sum8: check = 1
            case .xor8: check = 2
            default: eligible = false
            }
            if lo < 0 || hi > 7 || lo > hi || at < 0 || at > 7 { eligible = false } else {
                for i in lo...hi { cover |= 0xFF << (8 * UInt64(i)) }
                shift = 8 * UInt64(at)
            }
        }
        tables = DecoderTables(escapeCodes: t_escapeCodes, checksum: t_checksum, required: t_required, ruleOffset: t_ruleOffset,
                               ruleMask: t_ruleMask, ruleValue: t_ruleValue, ruleStart: t_ruleStart, dispatch: t_dispatch)
        word8 = eligible; fixedMask = mask; fixedValue = value; coverMask = cover; carriedShift = shift; wordCheck = check
    }

    /// The frame in the 8 bytes at `base` when the word kernel accepts it; nil sends the bytes
    /// to the general path, which then gives the exact reason.
    @inlinable @inline(__always)
    func wordFrame(_ base: UnsafeRawPointer) -> DeclarativeFrame? {
        let word = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        guard wordMismatch(word) == 0 else { return nil }
        return wordRecord(base, word)
    }

    /// Zero exactly when the start, required bytes and checksum of `word` are right.
    @inlinable @inline(__always)
    func wordMismatch(_ word: UInt64) -> UInt64 {
        let fixed = (word & fixedMask) ^ fixedValue
        guard wordCheck != 0 else { return fixed }
        let covered = word & coverMask
        let computed: UInt8
        if wordCheck == 1 {
            computed = unsafeBitCast(covered, to: SIMD8<UInt8>.self).wrappedSum()
        } else {
            var x = covered ^ (covered >> 32)
            x ^= x >> 16
            x ^= x >> 8
            computed = UInt8(truncatingIfNeeded: x)
        }
        return fixed | UInt64(computed ^ UInt8(truncatingIfNeeded: word >> carriedShift))
    }

    /// The frame of a checked word, or nil when no record type matches it.
    @inlinable @inline(__always)
    func wordRecord(_ base: UnsafeRawPointer, _ word: UInt64) -> DeclarativeFrame? {
        if dispatchOffset >= 0 && dispatchOffset < 8 {
            let hit = Int(tables.dispatch[Int(UInt8(truncatingIfNeeded: word >> (8 * UInt64(dispatchOffset))))])
            if hit >= 0x1000 { return DeclarativeFrame(record: hit - 0x1000, bytes: InlineBytes(word: word, count: 8)) }
        }
        guard let record = recordType(UnsafeRawBufferPointer(start: base, count: 8)) else { return nil }
        return DeclarativeFrame(record: record, bytes: InlineBytes(word: word, count: 8))
    }

    /// The longest frame on the wire: with byte stuffing every byte between the start bytes
    /// and the terminator may travel as two.
    @inlinable
    public var maximumFrameLength: Int {
        escapeByte < 0 ? maximum : start.count + 2 * (maximum - start.count - terminator.count) + terminator.count
    }

    @inlinable
    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeStep<DeclarativeFrame> {
        let n = bytes.count
        guard n > 0 else { return .needMore }
        if word8, n >= 8, let f = wordFrame(bytes.baseAddress!) { return .frame(f, consumed: 8) }
        guard bytes[0] == firstStart else { return .skip(count: garbageRun(bytes), because: .garbage) }
        let s = start.count
        if s > 1 {
            let avail = min(s, n)
            for i in 1..<avail where bytes[i] != start[i] {
                return .skip(count: garbageRun(bytes), because: .garbage)
            }
            if n < s { return .needMore }
        }
        if escapeByte >= 0 { return decodeEscaped(bytes) }
        let total: Int
        switch lengthMode {
        case 0:
            total = fixedLength
        case 1:
            guard n >= lengthOffset + lengthSize else { return .needMore }
            total = lengthBase + lengthNumber(bytes, lengthOffset)
            guard total >= minimumLength else {
                return .skip(count: 1, because: .malformed("the length field gives a frame shorter than its fixed parts"))
            }
            guard total <= maximum else { return .skip(count: 1, because: .oversized) }
        default:
            guard let end = terminatorEnd(bytes) else {
                return n >= maximum ? .skip(count: 1, because: .oversized) : .needMore
            }
            total = end
        }
        guard n >= total else { return .needMore }
        return check(UnsafeRawBufferPointer(rebasing: bytes[0..<total]), consumed: total)
    }

    /// The frames at the start of `bytes`, one `decode` after another while each is a frame.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (DeclarativeFrame) -> Void) -> (consumed: Int, frames: Int) {
        var offset = 0, frames = 0
        if word8, let base = bytes.baseAddress {
            // Four words checked with one test, then their records; the tail one at a time.
            quad: while offset + 32 <= bytes.count {
                let p = base + offset
                let w0 = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                let w1 = UInt64(littleEndian: (p + 8).loadUnaligned(as: UInt64.self))
                let w2 = UInt64(littleEndian: (p + 16).loadUnaligned(as: UInt64.self))
                let w3 = UInt64(littleEndian: (p + 24).loadUnaligned(as: UInt64.self))
                guard wordMismatch(w0) | wordMismatch(w1) | wordMismatch(w2) | wordMismatch(w3) == 0 else { break }
                guard let f0 = wordRecord(p, w0) else { break quad }
                body(f0)
                guard let f1 = wordRecord(p + 8, w1) else { offset &+= 8; frames &+= 1; break quad }
                body(f1)
                guard let f2 = wordRecord(p + 16, w2) else { offset &+= 16; frames &+= 2; break quad }
                body(f2)
                guard let f3 = wordRecord(p + 24, w3) else { offset &+= 24; frames &+= 3; break quad }
                body(f3)
                offset &+= 32
                frames &+= 4
            }
            while offset + 8 <= bytes.count, let f = wordFrame(base + offset) {
                body(f)
                offset &+= 8
                frames &+= 1
            }
            return (offset, frames)
        }
        while offset < bytes.count {
            guard case let .frame(f, used) = decode(UnsafeRawBufferPointer(rebasing: bytes[offset...])) else { break }
            body(f)
            offset &+= used
            frames &+= 1
        }
        return (offset, frames)
    }

    /// Terminator, checksum and record type of a complete frame.
    @inlinable
    func check(_ frame: UnsafeRawBufferPointer, consumed: Int) -> DecodeStep<DeclarativeFrame> {
        let total = frame.count
        let t = terminator.count
        if t > 0 && lengthMode != 2 {
            for i in 0..<t where frame[total - t + i] != terminator[i] {
                return .skip(count: 1, because: .malformed("the terminator bytes are missing"))
            }
        }
        for rule in tables.required {
            let o = rule.offset < 0 ? total + rule.offset : rule.offset
            guard o >= 0, o < total, frame[o] & rule.mask == rule.value else {
                return .skip(count: 1, because: .malformed("a byte the frame must have (frame.require) is wrong"))
            }
        }
        if let checksum = tables.checksum {
            guard let (expected, carried) = checksum.evaluate(frame) else {
                return .skip(count: 1, because: .malformed("the checksum does not fit in the frame"))
            }
            guard expected == carried else { return .skip(count: 1, because: .badChecksum(expected: expected, actual: carried)) }
        }
        guard let record = recordType(frame) else {
            return .skip(count: consumed, because: .malformed("no record type matches the frame"))
        }
        return .frame(DeclarativeFrame(record: record, bytes: InlineBytes(frame) ?? InlineBytes()), consumed: consumed)
    }

    /// The first record whose byte rules all hold.
    @inlinable
    func recordType(_ frame: UnsafeRawBufferPointer) -> Int? {
        var first = 0
        if dispatchOffset >= 0 {
            guard dispatchOffset < frame.count else { return nil }
            let hit = Int(tables.dispatch[Int(frame[dispatchOffset])])
            guard hit >= 0 else { return nil }
            if hit >= 0x1000 { return hit - 0x1000 }
            if matches(hit, frame) { return hit }
            first = hit + 1
        }
        let records = tables.ruleStart.count - 1
        var r = first
        while r < records {
            if matches(r, frame) { return r }
            r &+= 1
        }
        return nil
    }

    @inlinable
    func matches(_ record: Int, _ frame: UnsafeRawBufferPointer) -> Bool {
        var i = tables.ruleStart[record]
        let end = tables.ruleStart[record + 1]
        while i < end {
            let o = tables.ruleOffset[i] < 0 ? frame.count + tables.ruleOffset[i] : tables.ruleOffset[i]
            guard o >= 0, o < frame.count, frame[o] & tables.ruleMask[i] == tables.ruleValue[i] else { return false }
            i &+= 1
        }
        return true
    }

    @inlinable
    func lengthNumber(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Int {
        if lengthSize == 1 { return Int(bytes[at]) }
        let a = Int(bytes[at]), b = Int(bytes[at + 1])
        return lengthLittle ? a | b << 8 : a << 8 | b
    }

    /// The end of the first terminator after the start bytes, within the maximum length.
    @inlinable
    func terminatorEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let t = terminator.count
        let limit = min(bytes.count, maximum)
        var i = start.count
        while i + t <= limit {
            var hit = true
            for k in 0..<t where bytes[i + k] != terminator[k] { hit = false; break }
            if hit { return i + t }
            i &+= 1
        }
        return nil
    }

    /// Byte-stuffed frames: unescapes into an inline buffer while finding the end.
    @usableFromInline
    func decodeEscaped(_ bytes: UnsafeRawBufferPointer) -> DecodeStep<DeclarativeFrame> {
        var out = InlineBytes()
        let s = start.count
        for i in 0..<s { out.appendByte(bytes[i]) }
        var wire = s
        var total = lengthMode == 0 ? fixedLength : -1
        let t = terminator.count
        while true {
            if total >= 0 && out.count == total { break }
            if out.count >= maximum { return .skip(count: 1, because: .oversized) }
            guard wire < bytes.count else { return .needMore }
            if lengthMode == 2 && t > 0 && bytes[wire] == terminator[0] {
                guard wire + t <= bytes.count else { return .needMore }
                var hit = true
                for k in 0..<t where bytes[wire + k] != terminator[k] { hit = false; break }
                if hit {
                    guard out.count + t <= maximum else { return .skip(count: 1, because: .oversized) }
                    for k in 0..<t { out.appendByte(terminator[k]) }
                    wire += t
                    break
                }
            }
            let b = bytes[wire]
            if Int(b) == escapeByte {
                guard wire + 1 < bytes.count else { return .needMore }
                let code = bytes[wire + 1]
                if tables.escapeCodes.isEmpty {
                    out.appendByte(code ^ escapeXor)
                } else {
                    let v = tables.escapeCodes[Int(code)]
                    guard v >= 0 else { return .skip(count: 1, because: .malformed("an escape byte is followed by an unknown code")) }
                    out.appendByte(UInt8(v))
                }
                wire += 2
            } else {
                out.appendByte(b)
                wire += 1
            }
            if lengthMode == 1 && total < 0 && out.count == lengthOffset + lengthSize {
                let number = out.withBytes { lengthNumber($0, lengthOffset) }
                total = lengthBase + number
                guard total >= minimumLength else {
                    return .skip(count: 1, because: .malformed("the length field gives a frame shorter than its fixed parts"))
                }
                guard total <= maximum else { return .skip(count: 1, because: .oversized) }
            }
        }
        return out.withBytes { check($0, consumed: wire) }
    }

    /// Bytes up to the next possible start byte after the first.
    @usableFromInline
    func garbageRun(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count > 1, let base = bytes.baseAddress else { return bytes.count }
        guard let hit = memchr(base + 1, Int32(firstStart), bytes.count - 1) else { return bytes.count }
        return UnsafeRawPointer(hit) - base
    }
}

/// The tables of a compiled declarative frame decoder, built once per profile load.
public final class DecoderTables: Sendable {
    /// Escape code → byte for `pairs` stuffing (-1 = not a code); empty for `xor` stuffing.
    @usableFromInline let escapeCodes: [Int16]
    @usableFromInline let checksum: CompiledChecksum?
    /// Frame-level byte rules (offset, mask, value), checked before the checksum.
    @usableFromInline let required: [ByteRule]
    /// Flattened record rules: for record r, rules ruleStart[r] ..< ruleStart[r + 1].
    @usableFromInline let ruleOffset: [Int]
    @usableFromInline let ruleMask: [UInt8]
    @usableFromInline let ruleValue: [UInt8]
    @usableFromInline let ruleStart: [Int]
    /// When every record tests one common byte exactly: the record per value of that byte
    /// (-1 none; 0x1000 + r when that test alone decides record r).
    @usableFromInline let dispatch: [Int16]

    init(escapeCodes: [Int16], checksum: CompiledChecksum?, required: [ByteRule], ruleOffset: [Int], ruleMask: [UInt8],
         ruleValue: [UInt8], ruleStart: [Int], dispatch: [Int16]) {
        self.escapeCodes = escapeCodes
        self.checksum = checksum
        self.required = required
        self.ruleOffset = ruleOffset
        self.ruleMask = ruleMask
        self.ruleValue = ruleValue
        self.ruleStart = ruleStart
        self.dispatch = dispatch
    }
}
