import PocGateCore
import Daemon
import Sessions
public import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Finds a profile by id in directories, or loads it from a path.
public enum ProfileResolver {
    /// Where the command-line tools look when no directory is given.
    public static let defaultDirectories = ["DeviceProfiles", "/etc/pocgate/profiles", "/usr/share/pocgate/profiles"]

    /// Why a profile could not be had.
    public enum Failure: Error, CustomStringConvertible {
        case invalid(YAMLIssue)
        case notFound(id: String, searched: [String], issues: [YAMLIssue])

        public var description: String {
            switch self {
            case let .invalid(issue): return issue.description
            case let .notFound(id, searched, issues):
                var s = "no profile with id '\(id)' in \(searched.joined(separator: ", "))"
                if !issues.isEmpty { s += "; these profile files have errors:\n" + issues.map { "  \($0)" }.joined(separator: "\n") }
                return s
            }
        }
    }

    /// `idOrPath` is a path when it names an existing file, an id otherwise.
    public static func resolve(_ idOrPath: String, directories: [String]) throws(Failure) -> DeviceProfile {
        if PathText.isDirectory(idOrPath) == false {
            do {
                // The analyte tables it names are looked up as the daemon would: in the profile
                // directories, and in the tree the file sits in (<root>/<vendor>/<model>/profile.yaml).
                let profile = try DeviceProfile.parse(try ProfileCatalog.readText(idOrPath), file: idOrPath, families: .builtIn)
                let (tables, _) = AnalyteTables.load(directories: directories.filter(isDirectory) + [treeRoot(of: idOrPath)])
                return try tables.resolve(profile)
            } catch {
                throw .invalid(error)
            }
        }
        let (catalog, issues) = ProfileCatalog.load(directories: directories, families: .builtIn)
        guard let p = catalog.profile(id: idOrPath) else {
            throw .notFound(id: idOrPath, searched: directories, issues: issues)
        }
        return p
    }

    private static func isDirectory(_ path: String) -> Bool {
        return PathText.isDirectory(path) == true
    }

    /// The profile tree a profile file belongs to: two levels above `<vendor>/<model>/profile.yaml`,
    /// or the file's own directory for a loose file.
    private static func treeRoot(of file: String) -> String {
        let model = PathText.directory(of: file)
        guard PathText.lastComponent(of: file) == "profile.yaml" else { return model.isEmpty ? "." : model }
        let root = PathText.directory(of: PathText.directory(of: model))
        return root.isEmpty ? "." : root
    }
}
