import Daemon
import Sessions
package import DeviceProfiles
import PocGateCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import PocGateCore

/// `pocgate profile validate`: checks profile files and reports every error and warning as
/// `file:line:column: error|warning: what is wrong and how to fix it`.
public enum ProfileValidation {
    /// The report lines and whether any file had an error.
    public struct Report: Sendable {
        public var lines: [String] = []
        public var errorCount = 0
        public var warningCount = 0
    }

    /// Validates `files` against each other and against the profiles already in `directories`
    /// (for match rules that would fight over a port).
    public static func run(files: [String], directories: [String]) -> Report {
        var report = Report()
        let load = ProfileCatalog.load(directories: directories, families: .builtIn)
        let installed = load.catalog.profiles
        // Analyte tables: the installed ones and any given on the command line.
        let tableFiles = files.filter { $0.hasSuffix(AnalyteTable.fileSuffix) }
        let tables = AnalyteTables.load(directories.flatMap(ProfileCatalog.profileFiles(in:))
            .filter { $0.hasSuffix(AnalyteTable.fileSuffix) && !tableFiles.contains($0) } + tableFiles).tables
        var checked: [(DeviceProfile, String)] = []
        for file in files {
            let text: String
            do { text = try ProfileCatalog.readText(file) } catch {
                report.lines.append(format(error, "error"))
                report.errorCount += 1
                continue
            }
            if file.hasSuffix(AnalyteTable.fileSuffix) {
                do throws(YAMLIssue) {
                    let table = try AnalyteTable.parse(text, file: file)
                    report.lines.append("\(file): ok (analyte table \(table.ids[0]), \(table.analytes.count) analytes)")
                } catch {
                    report.lines.append(format(error, "error"))
                    report.errorCount += 1
                }
                continue
            }
            var result = DeviceProfile.check(text, file: file, families: .builtIn)
            if let p = result.profile {
                do throws(YAMLIssue) { _ = try tables.resolve(p) } catch {
                    result.errors.append(error)
                    result.profile = nil
                }
            }
            for e in result.errors { report.lines.append(format(e, "error")) }
            for w in result.warnings { report.lines.append(format(w, "warning")) }
            report.errorCount += result.errors.count
            report.warningCount += result.warnings.count
            if let p = result.profile { checked.append((p, text)) }
        }
        for (p, text) in checked {
            let same = { (o: DeviceProfile) in o.sourceFile == p.sourceFile || o.id == p.id
                || URL(fileURLWithPath: o.sourceFile).standardizedFileURL == URL(fileURLWithPath: p.sourceFile).standardizedFileURL }
            var others: [DeviceProfile] = []
            for o in checked.map(\.0) + installed where !same(o) && !others.contains(where: { $0.id == o.id }) { others.append(o) }
            for w in ProfileLint.overlapWarnings(p, others: others, text: text) {
                report.lines.append(format(w, "warning"))
                report.warningCount += 1
            }
        }
        for (p, text) in checked {
            if let w = ProfileShadowing.warning(p, text: text, directories: directories, installed: installed, issues: load.issues) {
                report.lines.append(format(w, "warning"))
                report.warningCount += 1
            }
        }
        for (p, _) in checked where report.lines.allSatisfy({ !$0.hasPrefix(p.sourceFile + ":") }) {
            report.lines.append("\(p.sourceFile): ok (\(p.id) version \(p.version), \(p.protocol.rawValue))")
        }
        return report
    }

    /// One report line; control characters a profile's values brought into it are escaped.
    package static func format(_ issue: YAMLIssue, _ severity: String) -> String {
        DeviceText.escaped(issue.line > 0 ? "\(issue.file):\(issue.line):\(issue.column): \(severity): \(issue.message)"
            : "\(issue.file): \(severity): \(issue.message)")
    }
}
