public import DeviceProfiles
#if canImport(Glibc)
import Glibc
#endif

/// Reading the configuration file within `ConfigLimits`: a regular file of at most
/// `ConfigLimits.fileBytes` whose nesting is bounded before the YAML parser sees it (its
/// composer recurses once per level, and a file of 64 KiB of `[` would exhaust the stack).
public enum ConfigFile {
    /// The bytes of `file`.
    public static func read(_ file: String) throws(YAMLIssue) -> [UInt8] {
        func issue(_ message: String) -> YAMLIssue { YAMLIssue(file: ConfigLimits.shown(file), line: 0, column: 0, message: message) }
        guard !file.utf8.contains(0) else { throw issue("the configuration path holds a NUL byte") }
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let err = errno
            throw issue("cannot read the configuration file: \(String(cString: strerror(err))) (errno \(err))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw issue("the configuration is not a regular file")
        }
        guard st.st_size <= ConfigLimits.fileBytes else {
            throw issue("the configuration file is \(st.st_size) bytes; the most accepted is \(ConfigLimits.fileBytes) "
                        + "(a full configuration is about 2 KiB)")
        }
        var bytes = [UInt8](repeating: 0, count: ConfigLimits.fileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw issue("cannot read the configuration file: " + String(cString: strerror(errno))) }
            if n == 0 { break }
            count += n
        }
        guard count <= ConfigLimits.fileBytes else {
            throw issue("the configuration file grew past \(ConfigLimits.fileBytes) bytes while being read")
        }
        return Array(bytes[..<count])
    }

    /// Refuses text that could nest deeper than the YAML composer should recurse, counted
    /// without parsing and never under-counted: a block level needs one more column of
    /// indentation or a `- `/`? `/`: ` indicator at the start of its line, so no line may start
    /// with more than `ConfigLimits.indentColumns` of them; a flow level needs a `[` or `{`, so
    /// the file may hold at most `ConfigLimits.flowOpeners` of them (quoted or not). One pass.
    public static func checkNesting(_ text: String, file: String) throws(YAMLIssue) {
        var line = 1
        var column = 0
        var openers = 0
        var atLineStart = true
        for byte in text.utf8 {
            column += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 0
                atLineStart = true
                continue
            }
            if atLineStart {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                    if column > ConfigLimits.indentColumns {
                        throw YAMLIssue(file: file, line: line, column: column, message: "the line starts with more than "
                                        + "\(ConfigLimits.indentColumns) columns of indentation or list markers; a configuration "
                                        + "nests 4 levels deep and needs about 8")
                    }
                default:
                    atLineStart = false
                }
            }
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                openers += 1
                if openers > ConfigLimits.flowOpeners {
                    throw YAMLIssue(file: file, line: line, column: column, message: "more than \(ConfigLimits.flowOpeners) "
                                    + "'[' or '{' in the configuration; write long lists one item per line ('- item')")
                }
            }
        }
    }
}
