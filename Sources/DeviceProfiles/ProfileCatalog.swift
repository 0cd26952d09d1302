public import PocGateCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import FrameParsing

/// The loaded profiles, and which one claims a port.
public struct ProfileCatalog: Sendable {
    /// Profiles by id, in load order.
    public private(set) var profiles: [DeviceProfile]

    public init(_ profiles: [DeviceProfile]) { self.profiles = profiles }

    /// Loads every `*.yaml`/`*.yml` file below each directory (recursively). Files that fail
    /// are returned as issues, not thrown, so one broken profile never stops the others; a
    /// duplicate id is an issue too (the first one loaded wins).
    /// `families` are the protocol families a profile may name (`FamilyTable.builtIn`).
    public static func load(directories: [String], families: FamilyTable) -> (catalog: ProfileCatalog, issues: [YAMLIssue]) {
        let result = load(directories: directories, keeping: ProfileCatalog([]), families: families)
        return (result.catalog, result.issues)
    }

    /// Loads the directories again after a change (SIGHUP, a changed file). The merge rules:
    /// a file that loads replaces what `previous` had from it; a file that fails keeps the
    /// profiles `previous` loaded from that same file (listed in `kept`, the failure in
    /// `issues`), so a typo never takes a working device offline; a file that is gone takes
    /// its profiles with it; a new file adds its profiles.
    public static func load(directories: [String], keeping previous: ProfileCatalog, families: FamilyTable)
        -> (catalog: ProfileCatalog, issues: [YAMLIssue], kept: [DeviceProfile]) {
        var profiles: [DeviceProfile] = []
        var issues: [YAMLIssue] = []
        var kept: [DeviceProfile] = []
        func add(_ p: DeviceProfile, file: String) -> Bool {
            if let first = profiles.first(where: { $0.id == p.id }) {
                issues.append(YAMLIssue(file: file, line: 0, column: 0,
                                        message: "profile id '\(p.id)' is already defined in \(first.sourceFile); this copy is ignored"))
                return false
            }
            profiles.append(p)
            return true
        }
        let files = directories.flatMap(profileFiles(in:))
        let (tables, tableIssues) = AnalyteTables.load(files.filter { $0.hasSuffix(AnalyteTable.fileSuffix) })
        issues += tableIssues
        for file in files where !file.hasSuffix(AnalyteTable.fileSuffix) {
            do throws(YAMLIssue) {
                _ = add(try tables.resolve(try DeviceProfile.parse(try readText(file), file: file, families: families)), file: file)
            } catch {
                issues.append(error)
                for old in previous.profiles where old.sourceFile == file && add(old, file: file) {
                    kept.append(old)
                }
            }
        }
        return (ProfileCatalog(profiles), issues, kept)
    }

    /// The text of a profile file: refused before reading when it is not a regular file or is
    /// larger than `ProfileLimits.fileBytes` (`fstat`), and when it is not UTF-8. The issue
    /// names the file and the limit, never its contents.
    public static func readText(_ file: String) throws(YAMLIssue) -> String {
        let bytes: [UInt8]
        do { bytes = try BoundedFile.contents(of: file, limit: ProfileLimits.fileBytes) } catch {
            throw YAMLIssue(file: file, line: 0, column: 0, message: error.reason)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw YAMLIssue(file: file, line: 0, column: 0, message: "the file is not UTF-8 text; save it as UTF-8")
        }
        return text
    }

    /// Profile files (and analyte tables, `*.analytes.yaml`) below `directory`, sorted for a
    /// stable load order; the directory itself may also be a single file.
    public static func profileFiles(in directory: String) -> [String] {
        guard let isDirectory = PathText.isDirectory(directory) else { return [] }
        guard isDirectory else { return [directory] }
        return PathText.walk(directory).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { directory + "/" + $0 }.sorted()
    }

    /// The profile with this id.
    public func profile(id: String) -> DeviceProfile? { profiles.first { $0.id == id } }

    /// The profile that claims `port` (profiles with `enabled: false` never do): the most specific matching rule wins; on a tie a
    /// protocol with a live session beats a replay-only one (generic USB bridges such as the
    /// PL2303 sit in front of many meters), then the lower `match.probe_order`; remaining ties
    /// go to the profile loaded first.
    public func match(_ port: PortDescription) -> DeviceProfile? {
        candidates(port).first
    }

    /// Every profile whose best rule matches `port` with the highest score, in the order
    /// `match` prefers them: live session first, then `probe_order` (unset last), then load
    /// order. More than one live candidate means the port must be probed to tell them apart.
    public func candidates(_ port: PortDescription) -> [DeviceProfile] {
        var best = 0
        var found: [(profile: DeviceProfile, index: Int)] = []
        for (index, p) in profiles.enumerated() where p.enabled {
            let score = p.match.score(port)
            guard score > 0, score >= best else { continue }
            if score > best { best = score; found.removeAll() }
            found.append((p, index))
        }
        return found.sorted { a, b in
            let (la, lb) = (a.profile.hasLiveSession, b.profile.hasLiveSession)
            if la != lb { return la }
            let (oa, ob) = (a.profile.match.probeOrder ?? Int.max, b.profile.match.probeOrder ?? Int.max)
            if oa != ob { return oa < ob }
            return a.index < b.index
        }.map(\.profile)
    }
}
