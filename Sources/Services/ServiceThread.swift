#if canImport(Glibc)
import Glibc
#endif

/// The one way a long-running part of pocgate runs its loop: a named thread (the name shows in
/// `top -H` and `/proc/PID/task/*/comm`) whose end can be awaited any number of times.
public final class ServiceThread: Sendable {
    /// The thread's name, cut to the kernel's 15 bytes.
    public let name: String
    /// Why the thread could not be created (an errno from `pthread_create`), or nil.
    public let startError: Int32?
    private let ended = Monitor(false)
    private let thread: pthread_t?

    /// Starts `body` on a new thread at once.
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        self.name = String(decoding: Array(name.utf8.prefix(15)), as: UTF8.self)
        let ended = self.ended
        let threadName = self.name
        let box = Unmanaged.passRetained(Start(name: threadName, body: {
            body()
            ended.update { $0 = true }
        }))
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            ServiceThread.nameCurrentThread(start.name)
            start.body()
            return nil
        }, box.toOpaque())
        if status == 0 {
            pthread_detach(thread)
            self.thread = thread
            startError = nil
        } else {
            // No thread: run nothing, and count as ended so a stop never waits for it.
            box.release()
            ended.update { $0 = true }
            self.thread = nil
            startError = status
        }
    }

    /// Waits until the thread's body has returned. Returns at once once it has, and when
    /// called from the thread itself (a body that stops its own service).
    public func join() {
        if let thread, pthread_equal(thread, pthread_self()) != 0 { return }
        ended.wait(until: nil) { $0 }
    }

    /// Whether the thread's body has returned.
    public var hasEnded: Bool { ended.withLock { $0 } }

    /// Names the calling thread (what `pthread_setname_np` does, which Swift's Glibc module
    /// does not export): the kernel reads it from `/proc/thread-self/comm`.
    static func nameCurrentThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
