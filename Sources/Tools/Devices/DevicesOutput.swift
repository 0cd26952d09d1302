import Daemon
import FoundationEssentials
package import Discovery
package import PocGateCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Writes what `pocgate devices` reports to stdout, as a table or as JSON lines.
///
/// Every line goes out with one write(2), unbuffered, so a program reading a pipe sees each
/// event as it happens; lines from different threads never interleave.
package final class DevicesOutput: Sendable {
    private let json: Bool
    private let lock = Mutex(())
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    package init(json: Bool) {
        self.json = json
    }

    /// The ports present, then the Bluetooth LE devices BlueZ knows (`ble`, nil when not
    /// asked): a table and the list's note, or a `port` line each, a `note` line and `done`.
    package func listing(_ ports: [(port: PortDescription, verdict: PortVerdict)], ble: BLEDeviceList? = nil) {
        let devices = ble?.entries ?? []
        let note = ble?.note.map { TechnicianText.current($0) }
        guard json else {
            if ports.isEmpty && devices.isEmpty {
                emit([TechnicianText.current("no serial ports found")] + (note.map { [$0] } ?? []))
            } else {
                emit(DeviceTable.render(ports.map { DeviceTable.cells($0.port, $0.verdict) }
                                        + devices.map { DeviceTable.cells($0.port, $0.verdict, link: $0.link) })
                     + (note.map { [$0] } ?? []))
            }
            return
        }
        emit(ports.map { encoded(DeviceLine("port", $0.port, $0.verdict)) }
             + devices.map { encoded(DeviceLine("port", $0.port, $0.verdict, link: $0.link)) }
             + (ble?.note.map { [encoded(DeviceLine(note: $0))] } ?? [])
             + [encoded(DeviceLine("done"))])
    }

    /// The monitor is running: hotplug events from here on are reported.
    package func ready() {
        emit([json ? encoded(DeviceLine("ready")) : TechnicianText.current("watching for serial ports being added or removed (Ctrl-C to stop)")])
    }

    /// A port came or went.
    package func event(_ event: DeviceEvent, _ verdict: PortVerdict) {
        let name = switch event {
        case .added: "added"
        case .removed: "removed"
        }
        emit([json ? encoded(DeviceLine(name, event.port, verdict))
                    : TechnicianText.padded(TechnicianText.current(name), to: 9) + DeviceTable.line(event.port, verdict)])
    }

    /// The monitor has stopped; nothing follows.
    package func stopped() {
        emit([json ? encoded(DeviceLine("stopped")) : TechnicianText.current("stopped")])
    }

    private func encoded(_ line: DeviceLine) -> String {
        // Strings, integers and nulls only: encoding cannot fail.
        guard let data = try? encoder.encode(line) else { return #"{"event":"\#(line.event)"}"# }
        return String(decoding: data, as: UTF8.self)
    }

    private func emit(_ lines: [String]) {
        lock.withLock { _ in
            for line in lines {
                let bytes = Array((line + "\n").utf8)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
                    if written < 0 && errno == EINTR { continue }
                    if written <= 0 { return }
                    offset += written
                }
            }
        }
    }
}
