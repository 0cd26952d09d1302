package import DeviceProfiles

package extension GatewayConfig {
    /// A text value of at most `maxBytes` bytes without control characters (a CR or LF in a
    /// URL breaks every request; a NUL cuts a path where the C library reads it).
    /// `shown` is how the value appears in a message (a URL without its password).
    static func textValue(_ map: YAMLMap, _ key: String, maxBytes: Int, required: Bool = false,
                          shown: (String) -> String = { $0 }) throws(YAMLIssue) -> String? {
        guard let value = try map.string(key, required: required) else { return nil }
        try check(value, maxBytes: maxBytes, name: YAMLMapName.join(map.path, key), shown: shown) { message in map.issue(key, message) }
        return value
    }

    /// A file or directory path: text of at most `ConfigLimits.pathBytes` bytes, no control characters.
    static func pathValue(_ map: YAMLMap, _ key: String) throws(YAMLIssue) -> String? {
        try textValue(map, key, maxBytes: ConfigLimits.pathBytes)
    }

    /// A list of at most `maxItems` paths, each checked like `pathValue`.
    static func pathList(_ map: YAMLMap, _ key: String, maxItems: Int) throws(YAMLIssue) -> [String]? {
        guard let items = try map.located(key) else { return nil }
        let name = YAMLMapName.join(map.path, key)
        guard map.isList(key) else { throw map.issue(key, "'\(name)' must be a list, e.g. [a, b]") }
        guard items.count <= maxItems else {
            throw map.issue(key, "'\(name)' lists \(items.count) items; the most accepted is \(maxItems)")
        }
        for item in items {
            try check(item.text, maxBytes: ConfigLimits.pathBytes, name: name + " item", shown: { $0 }, item.issue)
        }
        return items.map(\.text)
    }

    private static func check(_ value: String, maxBytes: Int, name: String, shown: (String) -> String,
                              _ issue: (String) -> YAMLIssue) throws(YAMLIssue) {
        guard value.utf8.count <= maxBytes else {
            throw issue("'\(name)' is \(value.utf8.count) bytes long; the most accepted is \(maxBytes): '\(shown(value))'")
        }
        if let (scalar, offset) = ConfigLimits.controlCharacter(in: value) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            throw issue("'\(name)' holds a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)) "
                        + "at character \(offset); remove it: '\(shown(value))'")
        }
    }
}

/// Dotted key names as the loader writes them.
package enum YAMLMapName {
    package static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
