import FrameParsing

/// The checks `DeclarativeParser` runs over a whole profile once its parts are parsed: the
/// section limits, record types no frame can reach, read-only commands that send a write.
extension DeclarativeParser {
    /// Whether `count` entries of a section stay within `limit`; an error at the section if not.
    mutating func within(_ count: Int, _ limit: Int, _ what: String, _ parent: YAMLMap, _ key: String) -> Bool {
        guard count > limit else { return true }
        errors.append(parent.issue(key, "'\(YAMLMap.join(parent.path, key))' has \(count) \(what); a profile may have at most \(limit). Split the device into several profiles or drop unused entries"))
        return false
    }

    /// Warns about record types no frame can reach: records are tried in order, and an earlier
    /// record whose `when` rules hold for every frame this one's hold (identical rules, or a
    /// subset of them) takes all its frames.
    mutating func warnUnreachable(_ recs: YAMLMap) {
        for (j, later) in records.enumerated() {
            guard let earlier = records[..<j].first(where: { RecordSpec.rules(later.rules, imply: $0.rules) }) else { continue }
            let how = RecordSpec.rules(earlier.rules, imply: later.rules) ? "has the same 'when' rules" : "has 'when' rules that every one of its frames meets"
            warnings.append(recs.keyIssue(later.name, "record '\(ProfileLimits.quoted(later.name))' is never chosen: the earlier record '\(ProfileLimits.quoted(earlier.name))' \(how), and records are tried in order. Give it a rule that tells it apart, or move it above '\(ProfileLimits.quoted(earlier.name))'"))
        }
    }

    /// The read-only guarantee by bytes: a command declared `writes: false` that can send the
    /// same bytes as a `writes: true` command or a known write of the protocol family is an
    /// error at its `bytes`, naming both.
    mutating func checkCommandClashes(_ plan: DeclarativePlan, top: YAMLMap) {
        let cmds = try? top.map("commands")
        for clash in plan.clashes() {
            let at = try? cmds?.map(clash.command)
            let message = "command '\(ProfileLimits.quoted(clash.command))' is declared 'writes: false' but sends \(Hex.string(clash.bytes)), the bytes of \(clash.write); pocgate never sends them. Remove the command or declare it 'writes: true'"
            errors.append(at?.issue("bytes", message) ?? top.issue("commands", message))
        }
    }
}
