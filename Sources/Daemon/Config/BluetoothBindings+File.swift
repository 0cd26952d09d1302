#if canImport(Glibc)
import Glibc
#endif

extension BluetoothBindings {
    /// Reads the bindings file; a missing file is no binding. Never follows a symbolic link;
    /// refuses anything but a regular file with one link that others may not write, and a file
    /// larger than `maximumBytes` (read no further).
    public static func load(path: String) throws(BluetoothBindingsError) -> BluetoothBindings {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            let e = errno
            if e == ENOENT { return BluetoothBindings() }
            if e == ELOOP { throw .unsafe(path: path, reason: "is a symbolic link") }
            throw .system(path: path, call: "open", errno: e)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system(path: path, call: "fstat", errno: errno) }
        try checkRegular(st, path: path)
        guard st.st_mode & 0o022 == 0 else { throw .unsafe(path: path, reason: "may be written by other users (mode \(String(st.st_mode & 0o777, radix: 8)))") }
        guard st.st_size <= maximumBytes else { throw .tooLarge(path: path, bytes: Int(st.st_size)) }
        var bytes = [UInt8](repeating: 0, count: maximumBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .system(path: path, call: "read", errno: errno) }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumBytes else { throw .tooLarge(path: path, bytes: count) }
        return try parse(String(decoding: bytes[..<count], as: UTF8.self), path: path)
    }

    /// Writes the bindings atomically: a new file (mode 0600) beside `path`, synced, renamed
    /// over it. The owner of the file it replaces is kept (for a new file, the state
    /// directory's owner when root writes it, so that the daemon's user can read it); a
    /// symbolic link or anything but a regular file at `path` is refused, never followed.
    public func save(path: String) throws(BluetoothBindingsError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        var owner: (uid: uid_t, gid: gid_t)?
        var st = stat()
        if lstat(path, &st) == 0 {
            try Self.checkRegular(st, path: path)
            owner = (st.st_uid, st.st_gid)
        } else if errno != ENOENT {
            throw .system(path: path, call: "lstat", errno: errno)
        } else if geteuid() == 0, lstat(directory, &st) == 0 {
            owner = (st.st_uid, st.st_gid)
        }
        let temporary = directory + "/." + Self.fileName + ".new-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0o600)
        guard fd >= 0 else { throw .system(path: temporary, call: "open", errno: errno) }
        var written = false
        defer { if !written { unlink(temporary) } }
        do throws(BluetoothBindingsError) {
            let bytes = Array(serialized().utf8)
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw .system(path: temporary, call: "write", errno: errno) }
                done += n
            }
            guard fchmod(fd, 0o600) == 0 else { throw .system(path: temporary, call: "fchmod", errno: errno) }
            if let owner, geteuid() == 0, owner.uid != 0 || owner.gid != 0 {
                guard fchown(fd, owner.uid, owner.gid) == 0 else { throw .system(path: temporary, call: "fchown", errno: errno) }
            }
            guard fsync(fd) == 0 else { throw .system(path: temporary, call: "fsync", errno: errno) }
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw .system(path: path, call: "rename", errno: errno) }
        written = true
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    private static func checkRegular(_ st: stat, path: String) throws(BluetoothBindingsError) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw .unsafe(path: path, reason: "is a symbolic link")
        default: throw .unsafe(path: path, reason: "is not a regular file")
        }
        guard st.st_nlink <= 1 else { throw .unsafe(path: path, reason: "has \(st.st_nlink) hard links") }
    }
}
