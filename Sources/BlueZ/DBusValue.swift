/// One D-Bus value, as much of the type system as BlueZ's API uses: the basic types, arrays,
/// dictionaries (arrays of dict entries), structs and variants. Arrays carry their element
/// signature so that an empty array still has a type on the wire.
public indirect enum DBusValue: Sendable, Equatable {
    case byte(UInt8)
    case bool(Bool)
    case int16(Int16)
    case uint16(UInt16)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    case string(String)
    case objectPath(String)
    case signature(String)
    /// An array of values of one type (`elementSignature`, such as "s" or "{sv}").
    case array(elementSignature: String, [DBusValue])
    /// A dictionary entry, only inside an array.
    case dictEntry(DBusValue, DBusValue)
    case structure([DBusValue])
    case variant(DBusValue)

    /// The value's D-Bus signature.
    public var signature: String {
        switch self {
        case .byte: "y"
        case .bool: "b"
        case .int16: "n"
        case .uint16: "q"
        case .int32: "i"
        case .uint32: "u"
        case .int64: "x"
        case .uint64: "t"
        case .double: "d"
        case .string: "s"
        case .objectPath: "o"
        case .signature: "g"
        case let .array(element, _): "a" + element
        case let .dictEntry(k, v): "{" + k.signature + v.signature + "}"
        case let .structure(fields): "(" + fields.map(\.signature).joined() + ")"
        case .variant: "v"
        }
    }

    /// A string dictionary `a{sv}`, the shape of BlueZ's options and properties.
    public static func options(_ entries: [(String, DBusValue)]) -> DBusValue {
        .array(elementSignature: "{sv}", entries.map { .dictEntry(.string($0.0), .variant($0.1)) })
    }

    /// A byte array `ay`.
    public static func bytes(_ bytes: [UInt8]) -> DBusValue {
        .array(elementSignature: "y", bytes.map(DBusValue.byte))
    }

    /// A string array `as`.
    public static func strings(_ strings: [String]) -> DBusValue {
        .array(elementSignature: "s", strings.map(DBusValue.string))
    }

    /// The value inside any number of variants.
    public var unwrapped: DBusValue {
        if case let .variant(inner) = self { return inner.unwrapped }
        return self
    }

    public var stringValue: String? {
        switch unwrapped {
        case let .string(s), let .objectPath(s): s
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case let .bool(b) = unwrapped { return b }
        return nil
    }

    public var intValue: Int? {
        switch unwrapped {
        case let .byte(v): Int(v)
        case let .int16(v): Int(v)
        case let .uint16(v): Int(v)
        case let .int32(v): Int(v)
        case let .uint32(v): Int(v)
        case let .int64(v): Int(v)
        case let .uint64(v): Int(exactly: v)
        default: nil
        }
    }

    /// The bytes of an `ay`.
    public var bytesValue: [UInt8]? {
        guard case let .array("y", items) = unwrapped else { return nil }
        return items.compactMap { if case let .byte(b) = $0 { b } else { nil } }
    }

    public var stringsValue: [String]? {
        guard case let .array(_, items) = unwrapped else { return nil }
        return items.compactMap(\.stringValue)
    }

    /// The entries of a dictionary with string or object-path keys (`a{sv}`, `a{oa{sa{sv}}}`, …).
    public var dictionaryValue: [String: DBusValue]? {
        guard case let .array(_, items) = unwrapped else { return nil }
        var out: [String: DBusValue] = [:]
        for case let .dictEntry(k, v) in items {
            if let key = k.stringValue { out[key] = v }
        }
        return out
    }
}
