public import Logging
import PocGateCore
import Services
public import Transports
#if canImport(Glibc)
import Glibc
#endif

/// A connected BLE device seen as its GATT characteristics by UUID (`GATTAccess`), for the
/// sessions of Bluetooth SIG profiles (`transport: ble-gatt`). Values of the characteristics
/// it subscribed to wait in one bounded queue, in arrival order, each with its UUID; a flood
/// beyond `queueLimit` drops the newest with a count and one log line per burst. A disconnect
/// (Connected false, the device or a subscribed characteristic removed) ends `nextValue` as
/// an unplug after the values already queued.
///
/// As a `DeviceLink` it hands out the values without their UUIDs and refuses raw writes: a
/// SIG profile's session writes only through `writeWithResponse`, behind its allow-list.
public final class GATTDevice: GATTAccess, DeviceLink, @unchecked Sendable {
    public let devicePath: String
    public let delivery = LinkDelivery.messages(maximumLength: GATTLink.maximumValueLength)
    private let client: BlueZClient
    private let queueLimit: Int
    private let logger: Logger?
    private let disconnectsOnClose: Bool
    private var observer: Int?

    private struct State {
        /// Subscribed characteristic path → its UUID.
        var subscribed: [String: String] = [:]
        var values: [GATTValue] = []
        var dropped = 0
        var dropping = false
        var ended = false
        var closed = false
    }
    private let state = Monitor(State())

    /// - Parameter disconnectsOnClose: `close` also disconnects the device (the gateway
    ///   connected it for this session).
    public init(client: BlueZClient, device: String, queueLimit: Int = 1024, disconnectsOnClose: Bool = false,
                logger: Logger? = nil) {
        self.client = client
        devicePath = device
        self.queueLimit = max(1, queueLimit)
        self.disconnectsOnClose = disconnectsOnClose
        self.logger = logger
        observer = client.addObserver { [weak self] event in self?.observe(event) }
    }

    /// Values dropped because the queue was full.
    public var droppedValues: Int { state.withLock { $0.dropped } }

    private func observe(_ event: BlueZEvent) {
        switch event {
        case let .value(path, bytes):
            let burst: Bool = state.update { s in
                guard !s.closed, let uuid = s.subscribed[path] else { return false }
                guard s.values.count < queueLimit else {
                    s.dropped += 1
                    defer { s.dropping = true }
                    return !s.dropping
                }
                s.dropping = false
                s.values.append(GATTValue(characteristic: uuid, bytes: Array(bytes.prefix(GATTLink.maximumValueLength))))
                return false
            }
            if burst {
                logger?.warning("BLE notifications arrive faster than the session reads them; dropping", metadata: [
                    "code": "\(LogCode.bleNotificationsDropped)", "queued": "\(queueLimit)", "device": "\(devicePath)"])
            }
        case let .changed(path, interface, names) where path == devicePath && interface == BlueZName.device && names.contains("Connected"):
            if client.device(at: devicePath)?.connected == false { state.update { $0.ended = true } }
        case let .removed(path, _):
            state.update { s in if path == devicePath || s.subscribed[path] != nil { s.ended = true } }
        default:
            break
        }
    }

    private func path(_ service: String, _ characteristic: String) throws(LinkError) -> String {
        if state.withLock({ $0.ended || $0.closed }) { throw .unplugged(errno: ENOTCONN) }
        guard let p = client.characteristicPath(device: devicePath, service: service, characteristic: characteristic) else {
            throw .bluetooth(.missing(uuid: characteristic))
        }
        return p
    }

    public func has(service: String, characteristic: String) -> Bool {
        client.characteristicPath(device: devicePath, service: service, characteristic: characteristic) != nil
    }

    public func subscribe(service: String, characteristic: String) throws(LinkError) {
        let p = try path(service, characteristic)
        state.update { $0.subscribed[p] = characteristic }
        do {
            try client.startNotify(p)
        } catch .inProgress {
            // Subscribed already by this client (a kept GATT cache): values flow.
        } catch {
            state.update { _ = $0.subscribed.removeValue(forKey: p) }
            throw GATTLink.linkError(error)
        }
    }

    public func read(service: String, characteristic: String) throws(LinkError) -> [UInt8] {
        let p = try path(service, characteristic)
        do { return Array(try client.readValue(p).prefix(GATTLink.maximumValueLength)) } catch { throw GATTLink.linkError(error) }
    }

    public func writeWithResponse(service: String, characteristic: String, _ bytes: [UInt8]) throws(LinkError) {
        let p = try path(service, characteristic)
        do { try client.writeValue(p, bytes, withResponse: true, timeoutMillis: 10_000) } catch { throw GATTLink.linkError(error) }
    }

    public func nextValue(timeoutMillis: Int) throws(LinkError) -> GATTValue? {
        let deadline = ContinuousClock.now + .milliseconds(max(0, timeoutMillis))
        state.wait(until: deadline) { !$0.values.isEmpty || $0.ended || $0.closed }
        let (value, ended): (GATTValue?, Bool) = state.withLock { s in
            guard !s.values.isEmpty else { return (nil, s.ended || s.closed) }
            return (s.values.removeFirst(), false)
        }
        if ended { throw .unplugged(errno: ENOTCONN) }
        return value
    }

    // MARK: DeviceLink

    /// Refused: a SIG profile's session writes a named characteristic through `writeWithResponse`.
    public func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
        throw .forbiddenWrite(hex: bytes.map { String($0, radix: 16) }.joined(separator: " "))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        guard let value = try nextValue(timeoutMillis: timeoutMillis) else { return 0 }
        let n = min(value.bytes.count, buffer.count)
        value.bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
        return n
    }

    public func discardInput() {
        state.update { $0.values.removeAll() }
    }

    /// Unsubscribes (when still connected), stops observing, and disconnects when told to. Safe twice.
    public func close() {
        let (wasClosed, ended, paths) = state.update { s in
            defer { s.closed = true }
            return (s.closed, s.ended, Array(s.subscribed.keys))
        }
        guard !wasClosed else { return }
        if let observer { client.removeObserver(observer) }
        if !ended { for p in paths { try? client.stopNotify(p) } }
        if disconnectsOnClose, client.device(at: devicePath)?.connected == true { try? client.disconnect(device: devicePath) }
    }
}
