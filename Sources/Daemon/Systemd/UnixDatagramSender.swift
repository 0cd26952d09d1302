#if canImport(Glibc)
import Glibc
#endif

/// Sends datagrams to one AF_UNIX socket: a file-system path, or an abstract name written
/// `@name` as systemd does. Used for `$NOTIFY_SOCKET` and the journal's native socket.
///
/// Sending is thread-safe (each `sendmsg` is one atomic datagram). A send blocks at most the
/// timeout given at creation when the receiver's queue is full.
package final class UnixDatagramSender: @unchecked Sendable {
    /// The socket path as given (`@name` for an abstract socket).
    package let path: String
    private let fd: Int32
    private var address = sockaddr_un()
    private let addressLength: socklen_t

    package init(path: String, sendTimeoutMillis: Int = 2_000) throws(UnixSocketError) {
        self.path = path
        var name = Array(path.utf8)
        let abstract = name.first == UInt8(ascii: "@")
        if abstract { name[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !name.isEmpty, name.count < capacity, abstract || name.first == UInt8(ascii: "/") else {
            throw .unusablePath(path)
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in name.enumerated() { raw[i] = byte }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        // An abstract name is exactly its bytes; a path includes its terminating NUL.
        addressLength = socklen_t(pathOffset + name.count + (abstract ? 0 : 1))
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socketFailed(errno: errno) }
        var timeout = timeval(tv_sec: sendTimeoutMillis / 1000, tv_usec: (sendTimeoutMillis % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends `bytes` as one datagram, optionally passing `descriptor` along (SCM_RIGHTS).
    /// - Returns: 0 when sent, else the errno (`EMSGSIZE` when too large for one datagram,
    ///   `EAGAIN` when the receiver did not drain its queue in time, `ENOENT`/`ECONNREFUSED`
    ///   when nobody listens).
    package func send(_ bytes: [UInt8], passing descriptor: Int32? = nil) -> Int32 {
        var target = address
        var bytes = bytes
        return bytes.withUnsafeMutableBytes { payload -> Int32 in
            withUnsafeMutablePointer(to: &target) { addressPointer -> Int32 in
                var vector = iovec(iov_base: payload.baseAddress, iov_len: payload.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer -> Int32 in
                    var message = msghdr()
                    message.msg_name = UnsafeMutableRawPointer(addressPointer)
                    message.msg_namelen = addressLength
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = payload.isEmpty ? 0 : 1
                    guard let descriptor else { return Self.sendmsgErrno(fd, &message) }
                    return Self.withRightsControl(descriptor) { control in
                        message.msg_control = control.baseAddress
                        message.msg_controllen = control.count
                        return Self.sendmsgErrno(fd, &message)
                    }
                }
            }
        }
    }

    private static func sendmsgErrno(_ fd: Int32, _ message: inout msghdr) -> Int32 {
        while true {
            if sendmsg(fd, &message, Int32(MSG_NOSIGNAL)) >= 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// A control buffer carrying one file descriptor (`CMSG_SPACE(sizeof(int))` bytes).
    private static func withRightsControl<R>(_ descriptor: Int32, _ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        let header = MemoryLayout<cmsghdr>.size
        let align = MemoryLayout<Int>.size
        let dataLength = MemoryLayout<Int32>.size
        let space = header + (dataLength + align - 1) / align * align
        let control = UnsafeMutableRawBufferPointer.allocate(byteCount: space, alignment: align)
        defer { control.deallocate() }
        control.initializeMemory(as: UInt8.self, repeating: 0)
        let cmsg = control.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
        cmsg.pointee.cmsg_len = header + dataLength
        cmsg.pointee.cmsg_level = SOL_SOCKET
        cmsg.pointee.cmsg_type = Int32(SCM_RIGHTS)
        control.storeBytes(of: descriptor, toByteOffset: header, as: Int32.self)
        return body(control)
    }
}

/// Why a datagram socket could not be set up.
package enum UnixSocketError: Error, Equatable, CustomStringConvertible {
    /// Not an absolute path or `@abstract` name, or longer than `sun_path` allows.
    case unusablePath(String)
    case socketFailed(errno: Int32)

    package var description: String {
        switch self {
        case .unusablePath(let path):
            return "'\(path)' is not a usable AF_UNIX socket address (absolute path or @name, at most 107 bytes)"
        case .socketFailed(let code):
            return "cannot create an AF_UNIX datagram socket: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
