/// The language of what a clinic technician reads from the tools (`devices`, `status`, `queue`,
/// `profile validate`, `check`): Simplified Chinese when the locale says so, English otherwise.
/// Log lines for ops stay English with their PG codes whatever the locale.
package enum TechnicianLanguage: Sendable, Equatable {
    case english
    case simplifiedChinese

    /// The language the POSIX locale variables choose, in their order of precedence: the
    /// first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty decides. `zh_CN`,
    /// `zh_SG` and `zh_Hans` (any encoding or modifier) are Simplified Chinese; everything
    /// else, `zh_TW` and `zh_HK` included, is English.
    package static func from(environment: [String: String]) -> TechnicianLanguage {
        let chosen = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let name = chosen.split(separator: ".").first.map(String.init) ?? ""
        let base = name.split(separator: "@").first.map(String.init) ?? ""
        return ["zh_CN", "zh_SG", "zh_Hans", "zh_Hans_CN", "zh-CN", "zh-Hans"].contains(base) ? .simplifiedChinese : .english
    }
}
