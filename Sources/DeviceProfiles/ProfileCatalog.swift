public import PocGateCore
import Foundation

/// The loaded profiles, and which one claims a port.
public struct ProfileCatalog: Sendable {
    /// Profiles by id, in load order.
    public private(set) var profiles: [DeviceProfile]

    public init(_ profiles: [DeviceProfile]) { self.profiles = profiles }

    /// Loads every `*.yaml`/`*.yml` file below each directory (recursively). Files that fail
    /// are returned as issues, not thrown, so one broken profile never stops the others; a
    /// duplicate id is an issue too (the first one loaded wins).
    public static func load(directories: [String]) -> (catalog: ProfileCatalog, issues: [YAMLIssue]) {
        var profiles: [DeviceProfile] = []
        var issues: [YAMLIssue] = []
        for file in directories.flatMap(profileFiles(in:)) {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                issues.append(YAMLIssue(file: file, line: 0, column: 0, message: "cannot read the file (permissions? not UTF-8?)"))
                continue
            }
            do {
                let p = try DeviceProfile.parse(text, file: file)
                if let first = profiles.first(where: { $0.id == p.id }) {
                    issues.append(YAMLIssue(file: file, line: 0, column: 0,
                                            message: "profile id '\(p.id)' is already defined in \(first.sourceFile); this copy is ignored"))
                } else {
                    profiles.append(p)
                }
            } catch {
                issues.append(error)
            }
        }
        return (ProfileCatalog(profiles), issues)
    }

    /// Profile files below `directory`, sorted for a stable load order; the directory itself
    /// may also be a single file.
    public static func profileFiles(in directory: String) -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else { return [] }
        guard isDir.boolValue else { return [directory] }
        let walker = FileManager.default.enumerator(atPath: directory)
        var files: [String] = []
        while let rel = walker?.nextObject() as? String {
            if rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") { files.append(directory + "/" + rel) }
        }
        return files.sorted()
    }

    /// The profile with this id.
    public func profile(id: String) -> DeviceProfile? { profiles.first { $0.id == id } }

    /// The profile that claims `port` (profiles with `enabled: false` never do): the most specific matching rule wins; on a tie a
    /// protocol with a live session beats a replay-only one (generic USB bridges such as the
    /// PL2303 sit in front of many meters); remaining ties go to the profile loaded first.
    public func match(_ port: PortDescription) -> DeviceProfile? {
        guard let usb = port.usb else { return nil }
        var best: (profile: DeviceProfile, score: Int)?
        for p in profiles where p.enabled {
            let score = p.match.usb.map { $0.score(usb) }.max() ?? 0
            guard score > 0 else { continue }
            if let b = best, score < b.score || (score == b.score && (b.profile.protocol.hasLiveSession || !p.protocol.hasLiveSession)) {
                continue
            }
            best = (p, score)
        }
        return best?.profile
    }
}
