#if canImport(Glibc)
import Glibc
#endif

extension ZoneInfo {
    /// Where Debian's `tzdata` installs the zoneinfo files; `TZDIR` overrides it, as for libc.
    public static var systemDirectory: String {
        if let dir = getenv("TZDIR"), dir.pointee != 0 { return String(cString: dir) }
        return "/usr/share/zoneinfo"
    }

    /// Files larger than this are not zoneinfo files (the largest Debian ships is about 4 KiB).
    static let maximumFileBytes = 64 * 1024

    /// The zone named `identifier` (an IANA name such as `Asia/Shanghai`, or `UTC`), read from
    /// the system's zoneinfo database; nil when there is no such zone or its file is unusable.
    ///
    /// The name is checked before it touches the file system: letters, digits, `_`, `-`, `+`
    /// and `/` between non-empty parts, no `.` or `..`; a link inside the database (`PRC` →
    /// `Asia/Shanghai`) is followed only when it stays inside the database.
    public static func named(_ identifier: String, directory: String = ZoneInfo.systemDirectory) -> ZoneInfo? {
        if identifier == "UTC" || identifier == "GMT" { return ZoneInfo(renaming: .utc, to: identifier) }
        guard isPlausibleName(identifier) else { return nil }
        guard let bytes = readInside(directory: directory, relative: identifier) else { return nil }
        return try? ZoneInfo(tzif: bytes, identifier: identifier)
    }

    /// Whether `identifier` is a zone pocgate can use (see `named`).
    public static func exists(_ identifier: String) -> Bool { named(identifier) != nil }

    private init(renaming zone: ZoneInfo, to identifier: String) {
        self.init(identifier: identifier, transitions: zone.transitions, offsets: zone.offsets,
                  initialOffset: zone.initialOffset, rule: zone.rule)
    }

    static func isPlausibleName(_ identifier: String) -> Bool {
        let bytes = Array(identifier.utf8)
        guard !bytes.isEmpty, bytes.count <= 255 else { return false }
        for part in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.first != UInt8(ascii: "."), part.first != UInt8(ascii: "-") else { return false }
            for b in part {
                let ok = (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
                    || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                guard ok else { return false }
            }
        }
        return true
    }

    /// The bytes of `directory/relative` when its real path is a regular file inside the real
    /// `directory` and it is no larger than `maximumFileBytes`.
    private static func readInside(directory: String, relative: String) -> [UInt8]? {
        guard let root = realPath(directory), let target = realPath(directory + "/" + relative),
              target.hasPrefix(root + "/") else { return nil }
        let fd = open(target, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size <= maximumFileBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            filled += n
        }
        return bytes
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension ZoneInfo {
    /// The system's zone, as libc would pick it: `TZ` when it names a zone, else
    /// `/etc/localtime`, else UTC. Read once per process.
    public static let current: ZoneInfo = {
        if let tz = getenv("TZ").map({ String(cString: $0) }), !tz.isEmpty {
            let name = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
            if let zone = named(name) { return zone }
        }
        let fd = open("/etc/localtime", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .utc }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size <= maximumFileBytes else { return .utc }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        guard bytes.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) == bytes.count else { return .utc }
        return (try? ZoneInfo(tzif: bytes, identifier: "localtime")) ?? .utc
    }()
}
