import FoundationEssentials
package import Logging
import PocGateCore
import Services
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches the profile directories with inotify (every subdirectory too: profiles live in
/// `<vendor>/<model>/profile.yaml`) and calls `changed` once the tree has been quiet for the
/// debounce time after a change, so an editor's save or a `cp -r` triggers one reload.
///
/// Directories that do not exist are not watched (a reload after creating one needs SIGHUP).
package final class ProfileWatcher: Service, @unchecked Sendable {
    private let directories: [String]
    private let debounce: Duration
    private let logger: Logger
    private let changed: @Sendable () -> Void
    private let fd: Int32
    private var wake: [Int32] = [-1, -1]
    private let thread = Mutex<ServiceThread?>(nil)
    /// Watch descriptor → directory. Only the watcher thread touches it after `start`.
    private var watched: [Int32: String] = [:]

    /// Opens inotify and adds the watches; nil (after a `PG-DVP-002` warning) when inotify is
    /// unavailable: reloads then need SIGHUP.
    package init?(directories: [String], debounce: Duration, logger: Logger, changed: @escaping @Sendable () -> Void) {
        self.directories = directories
        self.debounce = debounce
        self.logger = logger
        self.changed = changed
        fd = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
        guard fd >= 0, pipe(&wake) == 0 else {
            logger.warning("cannot watch the profile directories; reload profiles with SIGHUP (systemctl reload pocgate)",
                           metadata: ["code": "\(LogCode.profileWatchFailed)", "errno": "\(errno)"])
            if fd >= 0 { close(fd) }
            return nil
        }
        addWatches()
    }

    deinit {
        close(fd)
        close(wake[0])
        close(wake[1])
    }

    private static let mask: UInt32 = UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_FROM)
        | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE_SELF) | UInt32(IN_ATTRIB) | UInt32(IN_MODIFY)

    /// Watches every directory below the configured ones (again after a change: new
    /// subdirectories get a watch; inotify returns the same descriptor for a known one).
    private func addWatches() {
        for root in directories {
            guard PathText.isDirectory(root) == true else { continue }
            var all = [root]
            for rel in PathText.walk(root) {
                let path = root + "/" + rel
                if PathText.isDirectory(path) == true { all.append(path) }
            }
            for path in all {
                let wd = inotify_add_watch(fd, path, Self.mask)
                if wd >= 0 {
                    watched[wd] = path
                } else {
                    logger.warning("cannot watch a profile directory; changes in it need SIGHUP",
                                   metadata: ["code": "\(LogCode.profileWatchFailed)", "directory": "\(path)", "errno": "\(errno)"])
                }
            }
        }
    }

    package var serviceName: String { "profile watcher" }

    /// Starts the watcher's thread (once).
    package func start() {
        thread.withLock { thread in
            if thread == nil { thread = ServiceThread(name: "profile watcher") { [self] in run() } }
        }
    }

    /// Stops the thread and waits for it. Safe to call twice.
    package func stop() {
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
        thread.withLock { $0 }?.join()
    }

    private func run() {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
        var due: ContinuousClock.Instant?
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            var timeout: Int32 = -1
            if let due {
                let left = due - .now
                timeout = left <= .zero ? 0 : Int32(min(left / .milliseconds(1), 60_000).rounded(.up))
            }
            let n = poll(&fds, 2, timeout)
            if n < 0 && errno != EINTR { return }
            if fds[1].revents != 0 { return }
            if fds[0].revents & Int16(POLLIN) != 0 {
                // Drain; any event restarts the quiet time.
                while read(fd, &buffer, buffer.count) > 0 {}
                due = .now + debounce
                continue
            }
            if let d = due, ContinuousClock.now >= d {
                due = nil
                addWatches()
                logger.info("profile directory changed; reloading the profiles")
                changed()
            }
        }
    }
}
