import Foundation
import Logging
import PocGateCore
import Store
import Synchronization
import Uplink

/// One signing key for the whole test run.
let testKey = GatewayKey(privateKey: Ed25519PrivateKey())
/// Signs batches as gateway `gw-test`.
let testSigner = BatchSigner(gatewayID: "gw-test", key: testKey)

/// A temp dir with a fresh store in it; removed with `remove()`.
struct StoreFixture {
    let directory: String
    let store: Store

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-uplink-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try Store(path: directory + "/pocgate.db")
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// 2024-06-15T00:30:00Z, the fixed "now" of these tests.
let testNow: Int64 = 1_718_411_400_000

func glucose(serial: String = "TD4277-0001", key: String = "2024-06-15T08:30:00#1", value: String = "5.60",
             unit: String = "mmol/L", time: LocalDateTime = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30),
             flags: [ReadingFlag] = []) -> Reading {
    Reading(profileID: "taidoc-td4277", deviceSerial: serial, deviceModel: "TD-4277", recordKey: key, kind: .glucose,
            code: unit == "mg/dL" ? "41653-7" : "14743-9", value: ExactDecimal(parsing: value)!, unit: unit,
            deviceTime: time, flags: flags, raw: [0x01, 0x02])
}

/// Log entries captured in memory, for assertions on what the uplink logs.
final class LogCapture: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
        /// The message and metadata as one text, to search for things that must not be logged.
        var text: String { message + " " + metadata.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ") }
    }

    private let storage = Mutex<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }

    /// A logger that writes into this capture.
    func logger() -> Logger {
        Logger(label: "test.uplink") { _ in Handler(capture: self) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[key] = "\(value)" }
            capture.append(Entry(level: event.level, message: "\(event.message)", metadata: flat))
        }
    }
}
