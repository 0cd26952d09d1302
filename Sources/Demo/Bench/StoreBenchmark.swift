import Daemon
import Emulators
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Logging
package import PocGateCore
package import Store
import Uplink

/// `pocgate bench store`: durable ingest (per-record commits as a live session does them, and
/// batched transactions for bulk ingest), the drain of a large backlog to a receiver on
/// 127.0.0.1, and bytes per reading on the wire. Everything runs in a temporary directory.
public enum StoreBenchmark {
    /// What to measure.
    public struct Plan: Sendable {
        /// Readings committed one transaction each (live-session path).
        public var live = 2_000
        /// Readings ingested in batched transactions.
        public var bulk = 200_000
        /// Readings per bulk transaction.
        public var chunk = 5_000
        /// Readings queued and then drained to the loopback receiver.
        public var drain = 1_000_000
        /// Readings per bundle while draining.
        public var drainBatchSize = 1_000
        /// Readings sent at the default batch size to measure bytes per reading.
        public var wireSample = 10_000
        /// Where the databases go (a temporary directory under it, removed afterwards).
        public var directory = FileManager.default.temporaryDirectory.path

        public init() {}
    }

    /// Runs `plan`, printing one line per figure through `report`; returns 0, or 1 on failure.
    public static func run(_ plan: Plan, report: (String) -> Void) -> Int32 {
        let dir = plan.directory + "/pocgate-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            if plan.live > 0 {
                let rate = try liveIngest(count: plan.live, path: dir + "/live.db")
                report(NumberText.printf("live ingest (one commit per reading, synchronous=FULL): %d readings, %.0f readings/s", plan.live, rate))
            }
            if plan.bulk > 0 {
                let rate = try bulkIngest(count: plan.bulk, chunk: plan.chunk, path: dir + "/bulk.db")
                report(NumberText.printf("bulk ingest (%d readings per transaction, synchronous=FULL): %d readings, %.0f readings/s",
                              plan.chunk, plan.bulk, rate))
            }
            if plan.wireSample > 0 {
                for batchSize in [50, plan.drainBatchSize] {
                    let wire = try drain(count: plan.wireSample, batchSize: batchSize, gzip: true, path: dir + "/wire-\(batchSize).db",
                                         keyDirectory: dir)
                    report(NumberText.printf("wire (batch_size %d, gzip): %.1f bytes per reading (%d bytes for %d readings)",
                                  batchSize, Double(wire.bytes) / Double(wire.readings), wire.bytes, wire.readings))
                }
                let plain = try drain(count: plan.wireSample, batchSize: 50, gzip: false, path: dir + "/wire-plain.db", keyDirectory: dir)
                report(NumberText.printf("wire (batch_size 50, no gzip): %.1f bytes per reading", Double(plain.bytes) / Double(plain.readings)))
            }
            if plan.drain > 0 {
                let queued = Date()
                let path = dir + "/drain.db"
                let store = try Store(path: path)
                try ingest(store, count: plan.drain, chunk: plan.chunk, receivedAtMillis: 1)
                report(NumberText.printf("drain: %d readings queued in %.1f s", plan.drain, Date().timeIntervalSince(queued)))
                let result = try drain(count: 0, batchSize: plan.drainBatchSize, gzip: true, path: path, keyDirectory: dir)
                report(NumberText.printf("drain: %d readings delivered in %.1f s (%.0f readings/s, %d bundles of %d, %.1f bytes per reading)",
                              result.readings, result.seconds, Double(result.readings) / result.seconds, result.requests,
                              plan.drainBatchSize, Double(result.bytes) / Double(max(1, result.readings))))
            }
            return 0
        } catch {
            report("bench failed: \(error)")
            return 1
        }
    }

    /// A synthetic glucose reading `i` of one of ten meters.
    package static func reading(_ i: Int) -> (Reading, ReadingProvenance) {
        let minute = i % 60, hour = (i / 60) % 24, day = 1 + (i / 1440) % 28
        let value = 40 + (i &* 7919) % 361
        let reading = Reading(profileID: "taidoc-td4277", deviceSerial: NumberText.printf("BENCH%011d", i % 10), deviceModel: "TD-4277",
                              recordKey: NumberText.printf("2024-06-%02d T%02d:%02d #%d", day, hour, minute, i),
                              kind: .glucose, code: "41653-7", value: ExactDecimal(parsing: String(value))!, unit: "mg/dL",
                              deviceTime: LocalDateTime(year: 2024, month: 6, day: day, hour: hour, minute: minute),
                              flags: i % 3 == 0 ? [.beforeMeal] : [], raw: [0x51, 0x26, UInt8(value & 0xFF), UInt8(value >> 8), 0, 0, 0xA5, 0])
        return (reading, ReadingProvenance(gatewayID: "gw-bench", profileVersion: 1, profileHash: "9f2c1e0d44a7b3c5"))
    }

    package static func liveIngest(count: Int, path: String) throws -> Double {
        let store = try Store(path: path)
        let start = Date()
        for i in 0..<count {
            let (reading, provenance) = Self.reading(i)
            _ = try store.insert(reading, sessionID: nil, receivedAtMillis: Int64(i), provenance: provenance)
        }
        return Double(count) / Date().timeIntervalSince(start)
    }

    package static func bulkIngest(count: Int, chunk: Int, path: String) throws -> Double {
        let store = try Store(path: path)
        let start = Date()
        try ingest(store, count: count, chunk: chunk, receivedAtMillis: 1)
        return Double(count) / Date().timeIntervalSince(start)
    }

    package static func ingest(_ store: Store, count: Int, chunk: Int, receivedAtMillis: Int64) throws {
        var i = 0
        while i < count {
            let end = min(count, i + chunk)
            _ = try store.insert(contentsOf: (i..<end).map(reading), sessionID: nil, receivedAtMillis: receivedAtMillis)
            i = end
        }
    }

    package struct DrainResult {
        var readings: Int
        var requests: Int
        var bytes: Int
        var seconds: Double
    }

    /// Queues `count` readings (none: use what `path` holds) and drains them to the minimal
    /// loopback sink, counting wire bytes.
    package static func drain(count: Int, batchSize: Int, gzip: Bool, path: String, keyDirectory: String) throws -> DrainResult {
        let store = try Store(path: path)
        if count > 0 { try ingest(store, count: count, chunk: 5_000, receivedAtMillis: 1) }
        let receiver = try LoopbackSink()
        defer { receiver.stop() }
        let key = try GatewayKey.loadOrCreate(path: keyDirectory + "/gateway.key")
        let settings = UplinkSettings(url: "http://127.0.0.1:\(receiver.port)/fhir", batchSize: batchSize, batchMaxWaitMillis: 0,
                                      gzip: gzip)
        var logger = Logger(label: "pocgate-bench")
        logger.logLevel = .warning
        let uplink = try Uplink(store: store, signer: BatchSigner(gatewayID: "gw-bench", key: key), settings: settings, logger: logger)
        let start = Date()
        var delivered = 0
        var requests = 0
        while true {
            let outcome = uplink.drainOnce(nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
            switch outcome {
            case .delivered(let n):
                delivered += n
                requests += 1
            case .idle:
                let seconds = Date().timeIntervalSince(start)
                guard receiver.created == delivered, receiver.repeated == 0 else {
                    throw BenchFailure(reason: "the sink created \(receiver.created) and saw \(receiver.repeated) repeats for \(delivered) delivered")
                }
                return DrainResult(readings: delivered, requests: requests, bytes: uplink.sentBodyBytes, seconds: seconds)
            default:
                throw BenchFailure(reason: "unexpected drain outcome \(outcome)")
            }
        }
    }

    package struct BenchFailure: Error, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }
}
