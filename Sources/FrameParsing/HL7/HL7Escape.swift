/// HL7 v2 escape sequences in a leaf value (a component or subcomponent), with the message's
/// escape character `E`: `EFE` field separator, `ESE` component, `ETE` subcomponent,
/// `ERE` repetition, `EEE` the escape character itself, `EXhh…E` bytes given in hex.
///
/// Other sequences (highlighting `EHE`/`ENE`, formatting such as `E.brE`, character-set
/// switches `ECxxyyE`/`EMxxyyzzE`, local `EZ…E`) have no meaning for a numeric result and are
/// kept verbatim, as is an escape character without a closing one.
enum HL7Escape {
    static func unescape(_ raw: ArraySlice<UInt8>, _ enc: HL7Encoding) -> [UInt8] {
        guard raw.contains(enc.escape) else { return Array(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let c = raw[i]
            guard c == enc.escape, let close = raw[(i + 1)...].firstIndex(of: enc.escape), close > i + 1 else {
                out.append(c)
                i += 1
                continue
            }
            let body = raw[(i + 1)..<close]
            if let decoded = decode(body, enc) {
                out.append(contentsOf: decoded)
            } else {
                out.append(contentsOf: raw[i...close])
            }
            i = close + 1
        }
        return out
    }

    /// The bytes one sequence body stands for, or nil when it is not one pocgate decodes.
    private static func decode(_ body: ArraySlice<UInt8>, _ enc: HL7Encoding) -> [UInt8]? {
        if body.count == 1 {
            switch body.first! {
            case UInt8(ascii: "F"): return [enc.field]
            case UInt8(ascii: "S"): return [enc.component]
            case UInt8(ascii: "T"): return [enc.subcomponent]
            case UInt8(ascii: "R"): return [enc.repetition]
            case UInt8(ascii: "E"): return [enc.escape]
            default: return nil
            }
        }
        guard body.first == UInt8(ascii: "X"), body.count >= 3, (body.count - 1) % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var j = body.startIndex + 1
        while j < body.endIndex {
            guard let hi = hex(body[j]), let lo = hex(body[j + 1]) else { return nil }
            out.append(hi << 4 | lo)
            j += 2
        }
        return out
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
