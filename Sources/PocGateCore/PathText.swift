/// File-path text operations, as `NSString`'s path methods did them (no file system access).
public enum PathText {
    /// `path` without its last component: `/var/lib/pocgate/pocgate.db` → `/var/lib/pocgate`,
    /// `pocgate.db` → ``, `/pocgate.db` → `/`. Trailing slashes are ignored, repeated ones
    /// read as one.
    public static func directory(of path: String) -> String {
        var bytes = collapsed(path)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == 0 { return "/" }
        var end = slash
        while end > 1, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// The last component of `path`: `/etc/pocgate/pocgate.yaml` → `pocgate.yaml`.
    public static func lastComponent(of path: String) -> String {
        var bytes = collapsed(path)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")), bytes.count > 1 else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
    }

    /// The path's bytes with each run of slashes made one.
    private static func collapsed(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for b in path.utf8 where !(b == UInt8(ascii: "/") && out.last == UInt8(ascii: "/")) { out.append(b) }
        return out
    }

    /// `directory` joined with `name` by one slash.
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension PathText {
    /// Whether `path` names a directory (following links, as `FileManager.fileExists` did);
    /// nil when nothing is there.
    public static func isDirectory(_ path: String) -> Bool? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }
}

extension PathText {
    /// Paths below `directory`, relative to it, in no particular order: files, links and
    /// directories alike, descending into real directories only (a link to a directory is
    /// listed, not entered), at most `limit` entries and `maximumDepth` levels.
    public static func walk(_ directory: String, limit: Int = 100_000, maximumDepth: Int = 32) -> [String] {
        var out: [String] = []
        var pending: [(relative: String, depth: Int)] = [("", 0)]
        while let (relative, depth) = pending.popLast(), out.count < limit {
            guard let dir = opendir(relative.isEmpty ? directory : directory + "/" + relative) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir), out.count < limit {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                out.append(path)
                var st = stat()
                if depth + 1 < maximumDepth, lstat(directory + "/" + path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                    pending.append((path, depth + 1))
                }
            }
        }
        return out
    }
}
