public import Logging
import PocGateCore
import Services
public import Transports
#if canImport(Glibc)
import Glibc
#endif

/// A `DeviceLink` over two GATT characteristics of a connected BLE device: the values the
/// notify characteristic sends are the reads, writes go to the write characteristic. It
/// subscribes (StartNotify) when it opens, before anything can be written.
///
/// Notifications wait in a bounded queue: a flood beyond `queueLimit` drops the newest with a
/// count (`droppedNotifications`) and one log line per burst, and never grows memory. A
/// disconnect (Connected false, the device or the characteristic removed) ends the reads as an
/// unplug, after the notifications already queued; what the session stored stays stored.
public final class GATTLink: DeviceLink, @unchecked Sendable {
    public let delivery: LinkDelivery
    public let devicePath: String
    public let writePath: String
    public let notifyPath: String
    private let client: BlueZClient
    private let writeWithResponse: Bool
    private let queueLimit: Int
    private let logger: Logger?
    private let disconnectsOnClose: Bool
    private var observer: Int?

    private struct Queue {
        var messages: [[UInt8]] = []
        /// Bytes of the first message already handed out (byte-stream delivery).
        var offset = 0
        var dropped = 0
        var droppingSince: Int?
        var ended = false
        var closed = false
    }
    private let queue = Monitor(Queue())

    /// The longest value a characteristic can carry (ATT_MTU 517 − 5).
    public static let maximumValueLength = 512

    /// Finds the characteristics under the (connected, resolved) device and subscribes.
    /// - Parameters:
    ///   - service, write, notify: canonical lower-case UUIDs (write may equal notify).
    ///   - byteStream: the values are slices of a byte stream (serial over BLE), else each is
    ///     one whole message.
    ///   - disconnectsOnClose: `close` also disconnects the device (the gateway connected it for
    ///     this session; a meter left connected drains its battery).
    public init(client: BlueZClient, device: String, service: String, write: String, notify: String,
                writeWithResponse: Bool = true, byteStream: Bool, queueLimit: Int = 1024,
                disconnectsOnClose: Bool = false, logger: Logger? = nil) throws(LinkError) {
        self.client = client
        self.disconnectsOnClose = disconnectsOnClose
        devicePath = device
        self.writeWithResponse = writeWithResponse
        self.queueLimit = max(1, queueLimit)
        self.logger = logger
        delivery = byteStream ? .byteStream : .messages(maximumLength: Self.maximumValueLength)
        guard let w = client.characteristicPath(device: device, service: service, characteristic: write) else {
            throw .bluetooth(.missing(uuid: write))
        }
        guard let n = client.characteristicPath(device: device, service: service, characteristic: notify) else {
            throw .bluetooth(.missing(uuid: notify))
        }
        writePath = w
        notifyPath = n
        observer = client.addObserver { [weak self] event in self?.observe(event) }
        do {
            try client.startNotify(n)
        } catch .inProgress {
            // Already subscribed by this client (a kept GATT cache): notifications flow.
        } catch {
            close()
            throw Self.linkError(error)
        }
    }

    /// Notifications dropped because the queue was full.
    public var droppedNotifications: Int { queue.withLock { $0.dropped } }

    private func observe(_ event: BlueZEvent) {
        switch event {
        case let .value(path, bytes) where path == notifyPath:
            let burstStart: Int? = queue.update { q in
                guard !q.closed else { return nil }
                if q.messages.count >= queueLimit {
                    q.dropped += 1
                    if q.droppingSince == nil {
                        q.droppingSince = q.dropped
                        return q.dropped
                    }
                    return nil
                }
                q.droppingSince = nil
                q.messages.append(Array(bytes.prefix(Self.maximumValueLength)))
                return nil
            }
            if burstStart != nil {
                logger?.warning("BLE notifications arrive faster than the session reads them; dropping", metadata: [
                    "code": "\(LogCode.bleNotificationsDropped)", "queued": "\(queueLimit)", "device": "\(devicePath)"])
            }
        case let .changed(path, interface, names) where path == devicePath && interface == BlueZName.device && names.contains("Connected"):
            if client.device(at: devicePath)?.connected == false { queue.update { $0.ended = true } }
        case let .removed(path, _) where path == devicePath || path == notifyPath || path == writePath:
            queue.update { $0.ended = true }
        default:
            break
        }
    }

    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        if queue.withLock({ $0.ended || $0.closed }) { throw .unplugged(errno: ENOTCONN) }
        do {
            try client.writeValue(writePath, bytes, withResponse: writeWithResponse, timeoutMillis: max(timeoutMillis, 1000))
        } catch {
            throw Self.linkError(error)
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        let deadline = ContinuousClock.now + .milliseconds(max(0, timeoutMillis))
        queue.wait(until: deadline) { !$0.messages.isEmpty || $0.ended || $0.closed }
        let (count, ended): (Int, Bool) = queue.withLock { q in
            guard let first = q.messages.first else { return (0, q.ended || q.closed) }
            let available = first.count - q.offset
            let n = min(available, buffer.count)
            first.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + q.offset, byteCount: n)
            }
            if delivery == .byteStream && n < available {
                q.offset += n
            } else {
                q.messages.removeFirst()
                q.offset = 0
            }
            return (n, false)
        }
        if ended { throw .unplugged(errno: ENOTCONN) }
        return count
    }

    public func discardInput() {
        queue.withLock {
            $0.messages.removeAll()
            $0.offset = 0
        }
    }

    /// Unsubscribes (when still connected), stops observing, and disconnects when told to. Safe twice.
    public func close() {
        let (wasClosed, ended) = queue.update { q in
            defer { q.closed = true }
            return (q.closed, q.ended)
        }
        guard !wasClosed else { return }
        if let observer { client.removeObserver(observer) }
        if !ended { try? client.stopNotify(notifyPath) }
        if disconnectsOnClose, client.device(at: devicePath)?.connected == true { try? client.disconnect(device: devicePath) }
    }

    /// A Bluetooth failure as the link's error: "not connected" is an unplug.
    public static func linkError(_ failure: BluetoothFailure) -> LinkError {
        switch failure {
        case .notConnected: .unplugged(errno: ENOTCONN)
        case .timedOut: .writeTimeout
        default: .bluetooth(failure)
        }
    }
}
