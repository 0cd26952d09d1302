public import PocGateCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The analyte tables found beside the profiles (`*.analytes.yaml`), by id, and how a profile's
/// `analytes:` list becomes its table.
public struct AnalyteTables: Sendable {
    /// Tables by id.
    public private(set) var byID: [String: AnalyteTable] = [:]

    public init(_ tables: [AnalyteTable] = []) {
        for t in tables { for id in t.ids where byID[id] == nil { byID[id] = t } }
    }

    /// Loads table files; a file that fails, or repeats an id, is an issue (the first one wins).
    public static func load(_ files: [String]) -> (tables: AnalyteTables, issues: [YAMLIssue]) {
        var tables: [AnalyteTable] = []
        var issues: [YAMLIssue] = []
        var sources: [String: String] = [:]
        for file in files {
            do throws(YAMLIssue) {
                // Bounded and checked before reading, as profiles are (ProfileCatalog.readText).
                let table = try AnalyteTable.parse(try ProfileCatalog.readText(file), file: file)
                let id = table.ids[0]
                if let first = sources[id] {
                    throw YAMLIssue(file: file, line: 0, column: 0, message: "analyte table '\(id)' is already defined in \(first); this copy is ignored")
                }
                sources[id] = file
                tables.append(table)
            } catch {
                issues.append(error)
            }
        }
        return (AnalyteTables(tables), issues)
    }

    /// Loads every table below `directories` (as the profile catalog does).
    public static func load(directories: [String]) -> (tables: AnalyteTables, issues: [YAMLIssue]) {
        load(directories.flatMap(ProfileCatalog.profileFiles(in:)).filter { $0.hasSuffix(AnalyteTable.fileSuffix) })
    }

    /// The table a profile that names none gets, when it is installed: its plausibility
    /// ranges then apply to every reading of the kinds it lists (meters, vital signs).
    public static let defaultTableID = "diabetes-hypertension"

    /// `profile` with its `analytes` merged from the tables it names, in order (the default
    /// table, when present, for a profile that names none).
    /// - Throws: an issue at the profile's file when it names a table that was not found.
    public func resolve(_ profile: DeviceProfile) throws(YAMLIssue) -> DeviceProfile {
        var out = profile
        var table = AnalyteTable.empty
        if profile.analyteTableIDs.isEmpty, let fallback = byID[Self.defaultTableID] {
            out.analytes = fallback
            return out
        }
        for id in profile.analyteTableIDs {
            guard let t = byID[id] else {
                let known = byID.keys.sorted().joined(separator: ", ")
                throw YAMLIssue(file: profile.sourceFile, line: 0, column: 0,
                                message: "analyte table '\(id)' named in 'analytes' was not found in the profile directories"
                                    + " (a file NAME.analytes.yaml with 'table: \(id)'); known: \(known.isEmpty ? "none" : known)")
            }
            table = table.merged(with: t)
        }
        out.analytes = table
        return out
    }
}
