import Foundation
import Logging
import PocGateCore
import SerialIO
import Store
import Uplink

/// Delivers a session's readings into the store: a reading counts as received only when its
/// transaction has committed (`received` returns only after the commit, and the session asks
/// the device for the next record only after `received` returned); each new one wakes the
/// uplink. Every reading is stored with its provenance: gateway, profile version and hash.
final class StoreSink: SessionSink {
    private let store: Store
    private let sessionID: Int64
    private let uplink: Uplink
    private let logger: Logger
    private let provenance: ReadingProvenance
    private let stopRequested: @Sendable () -> Bool
    private let progress: @Sendable (_ newReading: Bool) -> Void

    /// `progress` is called after every record the device delivered (`newReading` when it was
    /// stored as new) and after the device identified itself.
    init(store: Store, sessionID: Int64, uplink: Uplink, provenance: ReadingProvenance, logger: Logger,
         stopRequested: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (_ newReading: Bool) -> Void) {
        self.store = store
        self.sessionID = sessionID
        self.uplink = uplink
        self.provenance = provenance
        self.logger = logger
        self.stopRequested = stopRequested
        self.progress = progress
    }

    var shouldStop: Bool { stopRequested() }

    func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
        try store.identifySession(sessionID, deviceSerial: serial, deviceModel: model, deviceClock: deviceClock,
                                  gatewayClockMillis: WallClock.millis())
        logger.info("device identified", metadata: ["meter": "\(serial)", "model": "\(model)",
                                                   "clock": "\(deviceClock?.description ?? "unreadable")"])
        progress(false)
    }

    func received(_ reading: Reading) throws -> Bool {
        let result = Result { () throws(StoreError) -> InsertOutcome in
            try store.insert(reading, sessionID: sessionID, receivedAtMillis: WallClock.millis(), provenance: provenance)
        }
        let outcome: InsertOutcome
        switch result {
        case let .success(value): outcome = value
        case let .failure(error) where error.isFull: throw SinkFullError(detail: error.description)
        case let .failure(error): throw error
        }
        switch outcome {
        case let .inserted(id):
            logger.debug("reading stored", metadata: ["reading_id": "\(id)", "record": "\(reading.recordKey)"])
            uplink.wake()
            progress(true)
            return true
        case let .duplicate(id):
            logger.debug("reading already stored", metadata: ["reading_id": "\(id)"])
            progress(false)
            return false
        case .alreadyDelivered:
            logger.debug("reading delivered and pruned long ago", metadata: ["record": "\(reading.recordKey)"])
            progress(false)
            return false
        }
    }

    func rejected(_ why: String, raw: [UInt8]) {
        logger.warning("record not decoded, skipped", metadata: ["code": "\(LogCode.recordNotDecoded)", "reason": "\(why)",
                                                                "raw": "\(raw.map { String(format: "%02X", $0) }.joined())"])
    }
}

/// Wall-clock milliseconds since the Unix epoch.
enum WallClock {
    static func millis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
