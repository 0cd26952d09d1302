public import PocGateCore

/// The `readings.ecg_context` column: what an ECG cart recorded besides the samples, as lines
/// of `key=value` (values with `\` written `\\` and line breaks `\n`):
/// ```
/// hp=5                high-pass cut-off, 0.01 Hz
/// lp=150              low-pass cut-off, Hz
/// notch=50            mains notch filter, Hz
/// artifact=1          artifact filter on (1) or off (0)
/// age=45 a            age as entered: value and UCUM unit
/// group=8 confirmed   a statement section (8 or 11) and its confirmation
/// st=Sinus rhythm     a statement of the group above it
/// ```
/// NULL when the record carried none of it.
public enum ECGContextText {
    /// The column text for `context`.
    public static func encode(_ context: ECGContext) -> String {
        var lines: [String] = []
        if let v = context.highPassCentihertz { lines.append("hp=\(v)") }
        if let v = context.lowPassHertz { lines.append("lp=\(v)") }
        if let v = context.notchHertz { lines.append("notch=\(v)") }
        if let v = context.artifactFilter { lines.append("artifact=\(v ? 1 : 0)") }
        if let age = context.age { lines.append("age=\(age.value) \(escape(age.unit))") }
        for group in context.statementGroups {
            lines.append("group=\(group.section) \(group.confirmation.rawValue)")
            lines += group.statements.map { "st=" + escape($0) }
        }
        return lines.joined(separator: "\n")
    }

    /// The context a column text holds; nil when the text is not what `encode` writes.
    public static func decode(_ text: String) -> ECGContext? {
        var context = ECGContext()
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let eq = line.firstIndex(of: "=") else { return nil }
            let key = line[..<eq]
            guard let value = unescape(line[line.index(after: eq)...]) else { return nil }
            switch key {
            case "hp": guard let v = Int(value) else { return nil }; context.highPassCentihertz = v
            case "lp": guard let v = Int(value) else { return nil }; context.lowPassHertz = v
            case "notch": guard let v = Int(value) else { return nil }; context.notchHertz = v
            case "artifact": guard value == "0" || value == "1" else { return nil }; context.artifactFilter = value == "1"
            case "age":
                let parts = value.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, let v = Int(parts[0]) else { return nil }
                context.age = ECGAge(value: v, unit: String(parts[1]))
            case "group":
                let parts = value.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, let section = Int(parts[0]),
                      let confirmation = ECGStatementGroup.Confirmation(rawValue: String(parts[1])) else { return nil }
                context.statementGroups.append(ECGStatementGroup(section: section, confirmation: confirmation, statements: []))
            case "st":
                guard !context.statementGroups.isEmpty else { return nil }
                context.statementGroups[context.statementGroups.count - 1].statements.append(value)
            default:
                return nil
            }
        }
        return context
    }

    static func escape(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default: out.append(ch)
            }
        }
        return String(out)
    }

    static func unescape(_ s: Substring) -> String? {
        var out = String.UnicodeScalarView()
        var escaped = false
        for ch in s.unicodeScalars {
            if escaped {
                switch ch {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: return nil
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return escaped ? nil : String(out)
    }
}
