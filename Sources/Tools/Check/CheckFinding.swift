import Daemon
/// One line of `pocgate check`: what was checked, how it came out, and the fix when it failed.
public struct CheckFinding: Sendable, Equatable {
    /// How a check came out, most severe last.
    public enum Verdict: Int, Sendable, Comparable, CustomStringConvertible {
        case ok, warning, failed

        public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .ok: return "ok"
            case .warning: return "warning"
            case .failed: return "FAILED"
            }
        }
    }

    /// The sysexits class of a failure, which the command's exit code reports.
    public enum Cause: Int32, Sendable {
        /// 66 EX_NOINPUT: a file the configuration names does not exist or cannot be read.
        case noInput = 66
        /// 77 EX_NOPERM: a file's owner or mode is wrong.
        case permission = 77
        /// 78 EX_CONFIG: a value is wrong or unfinished.
        case configuration = 78
    }

    /// Short name of the thing checked (`configuration`, `store`, `ca file`…).
    public var subject: String
    public var verdict: Verdict
    /// What was found, and for a warning or failure, what to do.
    public var detail: String
    /// For a failure: which exit code it asks for.
    public var cause: Cause?

    public static func ok(_ subject: String, _ detail: String) -> CheckFinding {
        CheckFinding(subject: subject, verdict: .ok, detail: detail, cause: nil)
    }

    public static func warning(_ subject: String, _ detail: String) -> CheckFinding {
        CheckFinding(subject: subject, verdict: .warning, detail: detail, cause: nil)
    }

    public static func failed(_ subject: String, _ detail: String, _ cause: Cause) -> CheckFinding {
        CheckFinding(subject: subject, verdict: .failed, detail: detail, cause: cause)
    }
}
