import PocGateCore
package import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Store

/// Reads and atomically replaces the runtime status file.
public struct StatusFile: Sendable {
    /// The file's path.
    public let path: String

    public init(path: String) { self.path = path }

    /// Where the daemon keeps its status for `config`: `status.path` when its directory
    /// exists (`RuntimeDirectory=pocgate` makes `/run/pocgate`), else `status.json` beside the
    /// database.
    public static func resolve(statusPath: String, storePath: String) -> StatusFile {
        let directory = PathText.directory(of: statusPath)
        if PathText.isDirectory(directory) == true {
            return StatusFile(path: statusPath)
        }
        return StatusFile(path: PathText.join(PathText.directory(of: storePath), "status.json"))
    }

    package static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }()

    package static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// Writes `status` to a temporary file beside the target and renames it over the target,
    /// so a reader never sees a half-written file. Mode 0644: it holds no patient data.
    public func write(_ status: RuntimeStatus) throws(StatusFileError) {
        let data: Data
        do {
            data = try Self.encoder.encode(status)
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
        let temporary = path + ".tmp"
        do {
            try PrivateFile.write([UInt8](data) + [0x0A], to: temporary, mode: 0o644)
        } catch {
            throw .unwritable(path: path, reason: "cannot create \(temporary): \(error) (does the directory exist, may pocgate write there?)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .unwritable(path: path, reason: "rename: \(reason)")
        }
    }

    /// The status the daemon last wrote.
    public func read() throws(StatusFileError) -> RuntimeStatus {
        guard let data = FileManager.default.contents(atPath: path) else { throw .missing(path: path) }
        do {
            return try Self.decoder.decode(RuntimeStatus.self, from: data)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }
}

/// Why the status file could not be written or read.
public enum StatusFileError: Error, Equatable, CustomStringConvertible {
    case unwritable(path: String, reason: String)
    case missing(path: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unwritable(let path, let reason): return "cannot write the status file \(path): \(reason)"
        case .missing(let path): return "no status file at \(path) (the daemon has not run, or ran with another status.path)"
        case .unreadable(let path, let reason): return "the status file \(path) is not readable JSON: \(reason)"
        }
    }
}
