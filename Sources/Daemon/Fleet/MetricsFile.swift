import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Store

/// The node_exporter textfile-collector file (`metrics.textfile`), replaced atomically: the
/// text goes to `<path>.tmp` beside it (created without following a link, a regular file of
/// this user with one link, mode 0644: it holds no patient data), then is renamed over the
/// file, so the collector never reads half a file. node_exporter reads only `*.prom`, so it
/// never sees the temporary file.
package struct MetricsFile: Sendable {
    /// The file's path.
    package let path: String

    /// Writes `text` to the file.
    package func write(_ text: String) throws(MetricsFileError) {
        let temporary = path + ".tmp"
        do {
            try PrivateFile.write(Array(text.utf8), to: temporary, mode: 0o644)
        } catch {
            throw MetricsFileError(path: path, reason: "cannot write \(temporary): \(error) (does the directory exist, may "
                                   + "the pocgate user write there?)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw MetricsFileError(path: path, reason: "rename: \(reason)")
        }
    }
}

/// Why the metrics file could not be written.
package struct MetricsFileError: Error, Equatable, CustomStringConvertible {
    package let path: String
    package let reason: String

    package var description: String { "cannot write the metrics file \(path): \(reason)" }
}
