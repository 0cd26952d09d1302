import Daemon
package import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Which copy of a profile id the daemon keeps when two files define it: the catalog loads the
/// directories in the order given (`profiles.paths`, for the tools `--profiles` or the
/// defaults: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles), the files
/// of each sorted by path, and keeps the first definition of an id, ignoring the others.
package enum ProfileShadowing {
    /// The warning for a profile whose id another file in `directories` also defines, naming
    /// the files and the one the daemon keeps; nil when the id is defined once. `installed` and
    /// `issues` are what loading `directories` gave (an ignored copy is one of the issues).
    package static func warning(_ profile: DeviceProfile, text: String, directories: [String], installed: [DeviceProfile],
                        issues: [YAMLIssue]) -> YAMLIssue? {
        let me = standard(profile.sourceFile)
        let ignoredPrefix = "profile id '\(profile.id)' is already defined in "
        let others = (installed.filter { $0.id == profile.id }.map(\.sourceFile)
            + issues.filter { $0.message.hasPrefix(ignoredPrefix) }.map(\.file)).filter { standard($0) != me }
        guard !others.isEmpty else { return nil }
        let order = directories.flatMap(ProfileCatalog.profileFiles(in:)).map(standard)
        let at = ProfileLint.location(of: "id:", in: text)
        let rule = "the daemon loads \(directories.joined(separator: ", ")) in that order, files sorted by path within each, and keeps the first definition of an id"
        let named = others.prefix(3).joined(separator: ", ") + (others.count > 3 ? " and \(others.count - 3) more" : "")
        let message: String
        if let mine = order.firstIndex(of: me) {
            let winner = ([profile.sourceFile] + others).min { (order.firstIndex(of: standard($0)) ?? .max) < (order.firstIndex(of: standard($1)) ?? .max) }!
            message = standard(winner) == me || mine == order.firstIndex(of: standard(winner))
                ? "profile id '\(profile.id)' is also defined in \(named); this file wins and the other copies are ignored: \(rule)"
                : "profile id '\(profile.id)' is also defined in \(named); \(winner) wins and this file is ignored: \(rule). Give this profile its own id, or remove the other copy"
        } else {
            message = "profile id '\(profile.id)' is already defined in \(named), which the daemon loads; this file is not in those directories. Copied into one, the copy loaded first wins: \(rule)"
        }
        return YAMLIssue(file: profile.sourceFile, line: at.line, column: at.column, message: message)
    }

    private static func standard(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
