public import FrameParsing

/// Warnings about choices a profile may make but that are usually mistakes.
public enum ProfileLint {
    /// The baud rates a family's devices use; a TaiDoc-shaped declarative profile (0x51,
    /// 8-byte frames) keeps TaiDoc's rate.
    static func expectedBauds(_ traits: FamilyTraits, spec: DeclarativeSpec?) -> [Int] {
        if let f = spec?.frame, f.start == [0x51], f.length == .fixed(8) { return [19200] }
        return traits.typicalBauds
    }

    /// A warning when `baud` is unusual for the family, or nil.
    public static func baudWarning(_ traits: FamilyTraits, spec: DeclarativeSpec?, baud: Int) -> String? {
        let expected = expectedBauds(traits, spec: spec)
        guard !expected.isEmpty, !expected.contains(baud) else { return nil }
        return "baud \(baud) is unusual for \(traits.family) devices (expected \(expected.map(String.init).joined(separator: " or "))); check the protocol sheet"
    }

    /// A warning when `session.quiet_time_s` is set for a family that does not listen first,
    /// or nil.
    public static func quietTimeWarning(_ traits: FamilyTraits, spec: DeclarativeSpec?) -> String? {
        if traits.conversation == .deviceSpeaksFirst { return nil }
        guard traits.liveSession != .never else {
            return "'session.quiet_time_s' has no effect on \(traits.family): it has no live session, only replay"
        }
        return "'session.quiet_time_s' has no effect on \(traits.family): pocgate polls this device, and a session ends when it stops answering (reply_timeout_ms × retries); remove it, or set poll_interval_s"
    }

    /// Warnings for USB rules of `profile` that also match another enabled profile with the same
    /// specificity, when the catalog's tie rule (a live session beats replay-only) does not
    /// separate them: which one claims the port then depends on load order.
    /// Whether a tie between `a` and `b` is settled by identification probes in
    /// `match.probe_order`, not by load order: both live, both with a distinct order.
    static func probedApart(_ a: DeviceProfile, _ b: DeviceProfile) -> Bool {
        guard a.hasLiveSession, b.hasLiveSession, let oa = a.match.probeOrder, let ob = b.match.probeOrder else { return false }
        return oa != ob
    }

    public static func overlapWarnings(_ profile: DeviceProfile, others: [DeviceProfile], text: String) -> [YAMLIssue] {
        guard profile.enabled else { return [] }
        let at = location(of: "match:", in: text)
        var out: [YAMLIssue] = []
        for rule in profile.match.usb {
            // Live profiles with distinct `probe_order`s are told apart by their probes.
            for other in others where other.enabled && other.id != profile.id
                && other.hasLiveSession == profile.hasLiveSession && !Self.probedApart(profile, other) {
                for o in other.match.usb where o.vendorID == rule.vendorID && o.productID == rule.productID
                    && o.manufacturer == rule.manufacturer && o.product == rule.product && o.serialPrefix == rule.serialPrefix {
                    out.append(YAMLIssue(file: profile.sourceFile, line: at.line, column: at.column, message:
                        "the USB rule \(hex(rule.vendorID)):\(hex(rule.productID)) also matches profile '\(other.id)' (\(other.sourceFile)) just as specifically, so load order decides which claims the port; narrow it with manufacturer, product_name or serial_prefix, or set 'enabled: false'"))
                }
            }
        }
        return out
    }

    static func hex(_ v: UInt16) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    /// 1-based line and column of the first line starting with `prefix`.
    public static func location(of prefix: String, in text: String) -> (line: Int, column: Int) {
        for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where l.hasPrefix(prefix) {
            return (i + 1, 1)
        }
        return (0, 0)
    }
}
