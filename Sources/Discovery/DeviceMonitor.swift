public import Logging
public import PocGateCore
import CUdev
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds serial ports and HID nodes through libudev and follows them as they come and go.
///
/// `enumerate()` is a one-shot scan of the `tty` and `hidraw` subsystems. `start(_:)` opens the udev
/// netlink monitor first, then reports the ports already present, then reports hotplug
/// events from a background thread until `stop()`; a port plugged in between the two is
/// reported once, not twice. Ttys without a device behind them (virtual consoles, ptmx)
/// are skipped; ttys without a USB parent are reported with `usb == nil`.
public final class DeviceMonitor: @unchecked Sendable {
    private let reader: PortReader
    /// The context `enumerate()` uses; libudev objects are not thread-safe, hence the lock.
    private let context: Mutex<OpaquePointer>
    private let loop = Mutex<MonitorLoop?>(nil)

    /// Creates the udev context. Nothing is scanned or opened yet.
    public init(logger: Logger) throws(DiscoveryError) {
        guard let udev = udev_new() else { throw .contextUnavailable(errno: MonitorLoop.lastErrno(ENOMEM)) }
        self.context = Mutex(udev)
        self.reader = PortReader(logger: logger)
    }

    deinit {
        stop()
        _ = context.withLock { udev_unref($0) }
    }

    /// The serial ports and hidraw nodes present now, sorted by sysfs path.
    public func enumerate() throws(DiscoveryError) -> [PortDescription] {
        try context.withLock { (udev) throws(DiscoveryError) in
            try PortScan.ports(udev: udev, reader: reader)
        }
    }

    /// Starts monitoring. `handler` first receives `.added` for every port present, on the
    /// calling thread before `start` returns, then `.added`/`.removed` for hotplug events
    /// on the monitor thread. Calls are never concurrent. The handler may call `stop()`.
    public func start(_ handler: @escaping @Sendable (DeviceEvent) -> Void) throws(DiscoveryError) {
        let candidate = try MonitorLoop(reader: reader, handler: handler)
        try loop.withLock { (current) throws(DiscoveryError) in
            guard current == nil else { throw .alreadyRunning }
            current = candidate
        }
        do throws(DiscoveryError) {
            candidate.deliverPresent(try PortScan.ports(udev: candidate.udev, reader: reader))
            try candidate.launch()
        } catch {
            loop.withLock { current in
                if current === candidate { current = nil }
            }
            candidate.stop()
            throw error
        }
    }

    /// Stops monitoring: wakes the monitor thread and waits for it to end, so no handler
    /// call follows `stop()`. Safe to call when not running. `start` may be called again.
    public func stop() {
        let running = loop.withLock { current in
            defer { current = nil }
            return current
        }
        running?.stop()
    }
}
