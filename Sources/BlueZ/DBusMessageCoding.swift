internal import CSDBus

/// Writes `DBusValue`s into an sd-bus message and reads them back, through sd-bus's
/// non-variadic calls (append_basic, open_container, read_basic, enter_container).
enum DBusMessageCoding {
    /// Appends `values` in order; returns the first negative errno.
    static func append(_ values: [DBusValue], to m: OpaquePointer) -> Int32 {
        for v in values {
            let r = append(v, to: m)
            if r < 0 { return r }
        }
        return 0
    }

    private static func basic<T>(_ m: OpaquePointer, _ type: Character, _ value: T) -> Int32 {
        var v = value
        return withUnsafePointer(to: &v) { sd_bus_message_append_basic(m, CChar(type.asciiValue!), $0) }
    }

    static func append(_ value: DBusValue, to m: OpaquePointer) -> Int32 {
        switch value {
        case let .byte(v): return basic(m, "y", v)
        case let .bool(v): return basic(m, "b", Int32(v ? 1 : 0))
        case let .int16(v): return basic(m, "n", v)
        case let .uint16(v): return basic(m, "q", v)
        case let .int32(v): return basic(m, "i", v)
        case let .uint32(v): return basic(m, "u", v)
        case let .int64(v): return basic(m, "x", v)
        case let .uint64(v): return basic(m, "t", v)
        case let .double(v): return basic(m, "d", v)
        case let .string(s): return csdbus_append_string(m, s)
        case let .objectPath(s): return csdbus_append_object_path(m, s)
        case let .signature(s): return sd_bus_message_append_basic(m, CChar(UInt8(ascii: "g")), s)
        case .array("y", _):
            let bytes = value.bytesValue ?? []
            return bytes.withUnsafeBytes { csdbus_append_bytes(m, $0.baseAddress, $0.count) }
        case let .array(element, items):
            return container(m, "a", element, items)
        case let .dictEntry(k, v):
            return container(m, "e", k.signature + v.signature, [k, v])
        case let .structure(fields):
            return container(m, "r", fields.map(\.signature).joined(), fields)
        case let .variant(inner):
            return container(m, "v", inner.signature, [inner])
        }
    }

    private static func container(_ m: OpaquePointer, _ type: Character, _ contents: String, _ items: [DBusValue]) -> Int32 {
        var r = sd_bus_message_open_container(m, CChar(type.asciiValue!), contents)
        if r < 0 { return r }
        r = append(items, to: m)
        if r < 0 { return r }
        return sd_bus_message_close_container(m)
    }

    /// Deeper nesting than D-Bus allows (64 in total) is refused, so a hostile reply cannot
    /// recurse without bound.
    static let maximumDepth = 64

    /// Reads every remaining value of the message (or of the container it is in).
    static func readAll(_ m: OpaquePointer, depth: Int = 0) -> [DBusValue]? {
        guard depth < maximumDepth else { return nil }
        var out: [DBusValue] = []
        while true {
            var type: CChar = 0
            var contents: UnsafePointer<CChar>?
            let r = sd_bus_message_peek_type(m, &type, &contents)
            if r < 0 { return nil }
            if r == 0 { return out }
            guard let v = readOne(m, type: UInt8(bitPattern: type), contents: contents.map { String(cString: $0) }, depth: depth)
            else { return nil }
            out.append(v)
        }
    }

    private static func readBasic<T>(_ m: OpaquePointer, _ type: UInt8, _ initial: T) -> T? {
        var v = initial
        let r = withUnsafeMutablePointer(to: &v) { sd_bus_message_read_basic(m, CChar(bitPattern: type), $0) }
        return r > 0 ? v : nil
    }

    private static func readString(_ m: OpaquePointer, _ type: UInt8) -> String? {
        var p: UnsafePointer<CChar>?
        let r = sd_bus_message_read_basic(m, CChar(bitPattern: type), &p)
        guard r > 0, let p else { return nil }
        return String(cString: p)
    }

    private static func readOne(_ m: OpaquePointer, type: UInt8, contents: String?, depth: Int) -> DBusValue? {
        switch type {
        case UInt8(ascii: "y"): return readBasic(m, type, UInt8(0)).map(DBusValue.byte)
        case UInt8(ascii: "b"): return readBasic(m, type, Int32(0)).map { .bool($0 != 0) }
        case UInt8(ascii: "n"): return readBasic(m, type, Int16(0)).map(DBusValue.int16)
        case UInt8(ascii: "q"): return readBasic(m, type, UInt16(0)).map(DBusValue.uint16)
        case UInt8(ascii: "i"): return readBasic(m, type, Int32(0)).map(DBusValue.int32)
        case UInt8(ascii: "u"): return readBasic(m, type, UInt32(0)).map(DBusValue.uint32)
        case UInt8(ascii: "x"): return readBasic(m, type, Int64(0)).map(DBusValue.int64)
        case UInt8(ascii: "t"): return readBasic(m, type, UInt64(0)).map(DBusValue.uint64)
        case UInt8(ascii: "d"): return readBasic(m, type, Double(0)).map(DBusValue.double)
        case UInt8(ascii: "h"): return readBasic(m, type, Int32(0)).map(DBusValue.int32)
        case UInt8(ascii: "s"): return readString(m, type).map(DBusValue.string)
        case UInt8(ascii: "o"): return readString(m, type).map(DBusValue.objectPath)
        case UInt8(ascii: "g"): return readString(m, type).map(DBusValue.signature)
        case UInt8(ascii: "a"), UInt8(ascii: "r"), UInt8(ascii: "e"), UInt8(ascii: "v"):
            guard let contents, sd_bus_message_enter_container(m, CChar(bitPattern: type), contents) > 0,
                  let items = readAll(m, depth: depth + 1), sd_bus_message_exit_container(m) >= 0
            else { return nil }
            switch type {
            case UInt8(ascii: "a") where contents == "y": return .bytes(items.compactMap { if case let .byte(b) = $0 { b } else { nil } })
            case UInt8(ascii: "a"): return .array(elementSignature: contents, items)
            case UInt8(ascii: "e"): return items.count == 2 ? .dictEntry(items[0], items[1]) : nil
            case UInt8(ascii: "v"): return items.count == 1 ? .variant(items[0]) : nil
            default: return .structure(items)
            }
        default:
            return nil
        }
    }
}
