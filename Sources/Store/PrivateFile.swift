#if canImport(Glibc)
internal import Glibc
#endif

/// The rules for the files pocgate keeps private (the database, its `-wal`/`-shm`/`-journal`
/// files, the signing key): each is opened with `O_NOFOLLOW`, checked on the open descriptor
/// to be a regular file with one link that the service user owns, and only then tightened with
/// `fchmod` on that descriptor. A path is never re-moded by name, so a symbolic link, a device
/// node or a hard link planted under one of these names is refused instead of followed.
public enum PrivateFile {
    /// Why a path is not used. Each message names the path and what to do.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The path holds a NUL byte: the C library would silently use the part before it.
        case nulInPath(path: String)
        /// Something other than a regular file is there (a device, a link, a directory…).
        case notRegularFile(path: String, kind: String)
        /// The file has more than one name: a planted hard link could point at another file.
        case hardLinked(path: String, links: Int)
        /// The file belongs to another user.
        case notOwned(path: String, owner: UInt32, expected: UInt32)
        /// The directory the file is in belongs to another user, or others may write into it.
        case unsafeDirectory(directory: String, reason: String)
        /// `open(2)`/`fstat(2)` failed.
        case system(path: String, call: String, errno: Int32)

        public var description: String {
            switch self {
            case let .nulInPath(path):
                return "\(Self.shown(path)) holds a NUL byte; give the path without it"
            case let .notRegularFile(path, kind):
                return "\(Self.shown(path)) is \(kind), not a regular file; point the setting at a file pocgate owns "
                    + "(default /var/lib/pocgate/pocgate.db) and remove what is there if it was not meant to be"
            case let .hardLinked(path, links):
                return "\(Self.shown(path)) has \(links) hard links; a private file must have one name "
                    + "(remove the other names, or copy the file: cp --preserve=mode FILE NEW && mv NEW FILE)"
            case let .notOwned(path, owner, expected):
                return "\(Self.shown(path)) belongs to uid \(owner), not to the service user (uid \(expected)); "
                    + "chown it to the service user (chown pocgate:pocgate FILE) or remove it if it was planted"
            case let .unsafeDirectory(directory, reason):
                return "the directory \(Self.shown(directory)) \(reason); keep the store in a directory the "
                    + "service user owns and others may not write (default /var/lib/pocgate, mode 0700)"
            case let .system(path, call, err):
                let text = strerror(err).map { String(cString: $0) } ?? "errno \(err)"
                return "\(call) \(Self.shown(path)): \(text) (errno \(err))"
            }
        }

        /// A path as shown in a message: control characters escaped (`\0`, `\u{1B}`), at most
        /// 200 characters.
        static func shown(_ path: String) -> String {
            var out = ""
            for (i, scalar) in path.unicodeScalars.enumerated() {
                guard i < 200 else { return out + "…" }
                switch scalar.value {
                case 0: out += "\\0"
                case 0..<0x20, 0x7F...0x9F: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }

    /// Checks that `path` may hold the database: it is either an existing regular file with one
    /// link owned by the service user, or a free name; in both cases in a directory the service
    /// user owns and that not every user may write (its group may: the service's own group).
    /// With euid 0 (a tool run by root) the directory's owner counts as the service user.
    ///
    /// A missing directory is not refused here: opening the file reports it with its errno.
    public static func checkLocation(_ path: String) throws(Refusal) {
        guard !path.utf8.contains(0) else { throw .nulInPath(path: path) }
        let directory = directoryName(of: path)
        var dirStat = stat()
        guard lstat(directory, &dirStat) == 0 else { return }
        guard dirStat.st_mode & S_IFMT == S_IFDIR else {
            throw .unsafeDirectory(directory: directory, reason: "is \(kind(dirStat.st_mode)), not a directory")
        }
        let user = geteuid()
        if dirStat.st_uid != user && user != 0 {
            throw .unsafeDirectory(directory: directory, reason: "belongs to uid \(dirStat.st_uid), not to the service user (uid \(user))")
        }
        if dirStat.st_mode & S_IWOTH != 0 {
            throw .unsafeDirectory(directory: directory, reason: "may be written by every user (mode "
                                   + String(dirStat.st_mode & 0o7777, radix: 8) + "; chmod o-w it)")
        }
        var st = stat()
        if lstat(path, &st) != 0 {
            let err = errno
            if err == ENOENT { return }
            throw .system(path: path, call: "lstat", errno: err)
        }
        try check(st, path: path, owner: expectedOwner(directoryOwner: dirStat.st_uid))
    }

    /// Checks `path` without following a link (creating it 0600 when `create` and missing) and
    /// sets its mode to 0600 if it was anything else.
    ///
    /// An existing file is looked at through an `O_PATH` descriptor and re-moded through that
    /// descriptor (`/proc/self/fd/N`), never opened for I/O: closing a real descriptor of a
    /// database file would drop the POSIX locks SQLite holds on it in this process (another
    /// process could then reset the `-shm` under its mapping). A missing file is created with
    /// `O_EXCL`, so no lock can exist on it yet.
    ///
    /// - Returns: the mode it had when that was wider or different (nil: already 0600, created,
    ///   or absent and not created).
    @discardableResult
    public static func tighten(_ path: String, create: Bool) throws(Refusal) -> UInt32? {
        guard !path.utf8.contains(0) else { throw .nulInPath(path: path) }
        var fd = open(path, oPath | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let err = errno
            guard err == ENOENT else { throw .system(path: path, call: "open", errno: err) }
            guard create else { return nil }
            let made = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0o600)
            if made >= 0 {
                close(made)
            } else if errno != EEXIST {
                throw .system(path: path, call: "open", errno: errno)
            }
            fd = open(path, oPath | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw .system(path: path, call: "open", errno: errno) }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system(path: path, call: "fstat", errno: errno) }
        var dirStat = stat()
        let directoryOwner = lstat(directoryName(of: path), &dirStat) == 0 ? dirStat.st_uid : geteuid()
        try check(st, path: path, owner: expectedOwner(directoryOwner: directoryOwner))
        let mode = UInt32(st.st_mode & 0o7777)
        guard mode != 0o600 else { return nil }
        // The inode the descriptor names, checked above: /proc's link is not a path lookup.
        guard chmod("/proc/self/fd/\(fd)", 0o600) == 0 else { throw .system(path: path, call: "chmod", errno: errno) }
        return mode
    }

    /// Opens `path` for writing from the start, creating it with `mode` (0600 unless said)
    /// when missing, never through a link: an existing file must be a regular file with one link
    /// owned by this user, and is emptied and set to `mode` through the descriptor. For files a
    /// tool or the daemon writes (a capture, a profile skeleton, the status file).
    ///
    /// - Returns: the open descriptor; the caller closes it.
    public static func openForWriting(_ path: String, mode: UInt32 = 0o600) throws(Refusal) -> Int32 {
        guard !path.utf8.contains(0) else { throw .nulInPath(path: path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, mode_t(mode))
        if fd < 0 {
            let err = errno
            if err == ELOOP { throw .notRegularFile(path: path, kind: "a symbolic link") }
            throw .system(path: path, call: "open", errno: err)
        }
        var st = stat()
        do throws(Refusal) {
            guard fstat(fd, &st) == 0 else { throw Refusal.system(path: path, call: "fstat", errno: errno) }
            try check(st, path: path, owner: geteuid())
            guard fchmod(fd, mode_t(mode)) == 0, ftruncate(fd, 0) == 0 else { throw Refusal.system(path: path, call: "fchmod", errno: errno) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Writes `bytes` to `path` as `openForWriting` opens it.
    public static func write(_ bytes: [UInt8], to path: String, mode: UInt32 = 0o600) throws(Refusal) {
        let fd = try openForWriting(path, mode: mode)
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .system(path: path, call: "write", errno: errno) }
            done += n
        }
    }

    /// `O_PATH` (Linux, the same value on x86-64, ARM and AArch64): glibc defines it only with
    /// `_GNU_SOURCE`, so Swift does not see it.
    static let oPath: Int32 = 0o10_000_000

    /// The database's companion files, refused when planted as links or devices and tightened
    /// otherwise.
    public static func tightenSidecars(of path: String) throws(Refusal) {
        for suffix in ["-wal", "-shm", "-journal"] {
            try tighten(path + suffix, create: false)
        }
    }

    /// The uid a private file must belong to: the process's, or for root the directory's owner
    /// (root tools act on the service user's files).
    static func expectedOwner(directoryOwner: uid_t) -> uid_t {
        let user = geteuid()
        return user == 0 ? directoryOwner : user
    }

    private static func check(_ st: stat, path: String, owner: uid_t) throws(Refusal) {
        guard st.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path, kind: kind(st.st_mode)) }
        guard st.st_nlink <= 1 else { throw .hardLinked(path: path, links: Int(st.st_nlink)) }
        let user = geteuid()
        guard st.st_uid == owner || st.st_uid == user else {
            throw .notOwned(path: path, owner: st.st_uid, expected: owner)
        }
    }

    static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// What a file of `mode` is, in words ("a character device").
    public static func kind(_ mode: UInt32) -> String {
        switch mode & S_IFMT {
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }
}
