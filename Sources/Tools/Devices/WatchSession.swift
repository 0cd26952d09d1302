import Daemon
package import DeviceProfiles
package import Discovery
import PocGateCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate devices --watch`: turns the monitor's events into the listing, then live events.
///
/// `DeviceMonitor.start` reports the ports already present on the calling (main) thread
/// before it returns, and hotplug events on its own thread, possibly before `start` has
/// returned. The first become the listing; the second are held back until `goLive` has
/// printed the listing and `ready`, so the output is always listing, ready, events.
/// When `limit` events have been reported, the main thread is woken with `wakeSignal`.
/// The Bluetooth LE devices read at the start are part of the listing; they are not followed.
package final class WatchSession: Sendable {
    /// Sent to the main thread when the event limit is reached; it must be blocked in
    /// every thread and waited for with `sigwait` (see `SignalWaiter`).
    package static let wakeSignal = SIGUSR1

    private let output: DevicesOutput
    private let catalog: ProfileCatalog
    private let bluetoothNames: [String: String]
    private let limit: Int?
    private let ble: BLEDeviceList?
    private let mainThread: pthread_t
    private let state = Mutex(State())

    private struct State {
        var live = false
        var present: [PortDescription] = []
        var pending: [DeviceEvent] = []
        var reported = 0
    }

    /// Call on the main thread, the one that will call `DeviceMonitor.start` and `sigwait`.
    /// - Parameter ble: the Bluetooth LE devices for the listing (nil: none asked for).
    package init(output: DevicesOutput, catalog: ProfileCatalog, bluetoothNames: [String: String] = [:], limit: Int?,
                 ble: BLEDeviceList? = nil) {
        self.output = output
        self.ble = ble
        self.catalog = catalog
        self.bluetoothNames = bluetoothNames
        self.limit = limit
        self.mainThread = pthread_self()
    }

    /// Whether `limit` events have been reported.
    package var limitReached: Bool {
        state.withLock { state in limit.map { state.reported >= $0 } ?? false }
    }

    /// The monitor's handler.
    package func receive(_ event: DeviceEvent) {
        state.withLock { state in
            if state.live {
                report(event, &state)
            } else if pthread_equal(pthread_self(), mainThread) != 0, case .added(let port) = event {
                state.present.append(port.naming(from: bluetoothNames))
            } else {
                state.pending.append(event)
            }
        }
    }

    /// Prints the listing and `ready`, then the events that arrived meanwhile; from here on
    /// events are printed as they come. Call once `DeviceMonitor.start` has returned.
    package func goLive() {
        state.withLock { state in
            output.listing(state.present.map { ($0, PortVerdict(port: $0, catalog: catalog)) }, ble: ble)
            output.ready()
            let pending = state.pending
            state.pending = []
            for event in pending { report(event, &state) }
            state.live = true
        }
    }

    private func report(_ event: DeviceEvent, _ state: inout State) {
        if let limit, state.reported >= limit { return }
        state.reported += 1
        let port = event.port.naming(from: bluetoothNames)
        output.event(event.withPort(port), PortVerdict(port: port, catalog: catalog))
        if state.reported == limit { pthread_kill(mainThread, Self.wakeSignal) }
    }
}
