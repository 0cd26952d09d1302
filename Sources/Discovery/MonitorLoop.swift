import CUdev
import Logging
import PocGateCore
import Services
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One run of the monitor: its own udev context and netlink monitor (libudev objects are
/// not thread-safe), a wake-up pipe, and the thread that `poll()`s both.
///
/// Lifecycle: `init` enables the monitor; `deliverPresent` reports the ports found by the
/// scan that follows; `launch` starts the thread; `stop` wakes and joins it. The thread
/// keeps the loop alive until it returns; the last reference closes everything.
final class MonitorLoop: @unchecked Sendable {
    let udev: OpaquePointer
    private let monitor: OpaquePointer
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let reader: PortReader
    private let handler: @Sendable (DeviceEvent) -> Void
    /// Ports reported as added, by syspath. Written by `deliverPresent` before the thread
    /// exists, then only by the thread.
    private var reported: [String: PortDescription] = [:]
    private let phase = Mutex<Phase>(.idle)

    private enum Phase {
        case idle
        case running(ServiceThread)
        case stopped
    }

    init(reader: PortReader, handler: @escaping @Sendable (DeviceEvent) -> Void) throws(DiscoveryError) {
        guard let udev = udev_new() else { throw .contextUnavailable(errno: Self.lastErrno(ENOMEM)) }
        if access("/run/udev/control", F_OK) != 0 {
            // libudev then quietly subscribes to nothing, unless /dev is a devtmpfs.
            reader.logger.warning("""
                udev does not seem to run (/run/udev/control missing): hotplug events may never arrive; \
                pocgate needs the udev netlink socket (systemd-udevd, /run/udev mounted into a container)
                """, metadata: ["code": "\(LogCode.udevNotRunning)"])
        }
        guard let monitor = udev_monitor_new_from_netlink(udev, "udev") else {
            let code = Self.lastErrno(ENOENT)
            udev_unref(udev)
            throw .monitorUnavailable(errno: code)
        }
        var pipeEnds: [Int32] = [-1, -1]
        if let failure = Self.enable(monitor) ?? Self.makeWakePipe(&pipeEnds) {
            udev_monitor_unref(monitor)
            udev_unref(udev)
            throw failure
        }
        self.udev = udev
        self.monitor = monitor
        self.wakeRead = pipeEnds[0]
        self.wakeWrite = pipeEnds[1]
        self.reader = reader
        self.handler = handler
    }

    deinit {
        udev_monitor_unref(monitor)
        udev_unref(udev)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Reports the ports present at start, on the caller's thread.
    func deliverPresent(_ ports: [PortDescription]) {
        for port in ports { announce(port, source: "enumerate") }
    }

    /// Starts the thread, unless `stop` came first.
    func launch() throws(DiscoveryError) {
        try phase.withLock { (phase) throws(DiscoveryError) in
            guard case .idle = phase else { return }
            // The thread holds the loop until it returns.
            let thread = ServiceThread(name: "udev monitor") { [self] in run() }
            if let status = thread.startError { throw .threadStartFailed(errno: status) }
            phase = .running(thread)
        }
    }

    /// Wakes the thread through the pipe and joins it; from the thread itself (a handler
    /// that stops the monitor) it returns at once. Idempotent.
    func stop() {
        let previous = phase.withLock { phase in
            defer { phase = .stopped }
            return phase
        }
        guard case .running(let thread) = previous else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        thread.join()
    }

    private func run() {
        var fds = [pollfd(fd: udev_monitor_get_fd(monitor), events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let broken = Int16(POLLERR | POLLHUP | POLLNVAL)
        while true {
            guard poll(&fds, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                reader.logger.error("udev monitor poll failed; hotplug events stop", metadata: ["code": "\(LogCode.monitorPollFailed)", "errno": "\(errno)"])
                return
            }
            if fds[1].revents != 0 { return }
            if fds[0].revents & broken != 0 {
                reader.logger.error("udev monitor socket failed; hotplug events stop",
                                    metadata: ["code": "\(LogCode.monitorSocketFailed)", "revents": "\(fds[0].revents)"])
                return
            }
            // One device per wake-up: poll is level-triggered, and a filtered-out message
            // yields nil without blocking.
            if fds[0].revents & Int16(POLLIN) != 0, let device = udev_monitor_receive_device(monitor) {
                handle(device)
                udev_device_unref(device)
            }
        }
    }

    private func handle(_ device: OpaquePointer) {
        let action = PortReader.string(udev_device_get_action(device)) ?? ""
        let syspath = PortReader.string(udev_device_get_syspath(device)) ?? ""
        switch action {
        case "add":
            if let port = reader.port(for: device) { announce(port, source: "hotplug") }
        case "remove":
            guard let port = reported.removeValue(forKey: syspath) else {
                reader.logger.debug("ignoring removal of a tty that was never reported", metadata: ["syspath": "\(syspath)"])
                return
            }
            reader.logger.info("\(Self.noun(port)) removed", metadata: Self.metadata(port))
            handler(.removed(port))
        default:
            reader.logger.debug("ignoring uevent", metadata: ["action": "\(action)", "syspath": "\(syspath)"])
        }
    }

    private func announce(_ port: PortDescription, source: String) {
        guard reported[port.syspath] == nil else {
            reader.logger.debug("tty already reported", metadata: Self.metadata(port))
            return
        }
        reported[port.syspath] = port
        var metadata = Self.metadata(port)
        metadata["source"] = "\(source)"
        reader.logger.info("\(Self.noun(port)) added", metadata: metadata)
        handler(.added(port))
    }

    private static func metadata(_ port: PortDescription) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["device": "\(port.devnode)", "usb": "\(port.usb?.idString ?? "none")", "syspath": "\(port.syspath)"]
        if let interface = port.usbInterface { metadata["usb_interface"] = "\(interface)" }
        return metadata
    }

    /// What the log line calls the port: `tty` or `hidraw node`.
    private static func noun(_ port: PortDescription) -> String {
        port.transport == .hidraw ? "hidraw node" : "tty"
    }

    /// Installs the tty and hidraw filters, then binds the socket: events queue from here on.
    private static func enable(_ monitor: OpaquePointer) -> DiscoveryError? {
        for subsystem in PortScan.subsystems {
            let filtered = udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem, nil)
            guard filtered >= 0 else { return .monitorFilterFailed(errno: -filtered) }
        }
        let enabled = udev_monitor_enable_receiving(monitor)
        guard enabled >= 0 else { return .monitorEnableFailed(errno: -enabled) }
        return nil
    }

    /// A close-on-exec, non-blocking pipe (`pipe2` is not visible to Swift's Glibc module).
    private static func makeWakePipe(_ ends: inout [Int32]) -> DiscoveryError? {
        guard pipe(&ends) == 0 else { return .wakePipeFailed(errno: errno) }
        for fd in ends where fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || fcntl(fd, F_SETFL, O_NONBLOCK) != 0 {
            let code = errno
            close(ends[0])
            close(ends[1])
            return .wakePipeFailed(errno: code)
        }
        return nil
    }

    /// `errno`, or `fallback` when a failing libudev call left it at 0.
    static func lastErrno(_ fallback: Int32) -> Int32 {
        errno == 0 ? fallback : errno
    }
}
