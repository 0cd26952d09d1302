package import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Logging
package import PocGateCore
import Sessions
import Transports
package import Store
package import Uplink

/// Delivers a session's readings into the store: a reading counts as received only when its
/// transaction has committed (`received` returns only after the commit, and the session asks
/// the device for the next record only after `received` returned); each new one wakes the
/// uplink. Every reading is stored with its provenance: gateway, profile version and hash.
///
/// Device time (docs/CODES.md, "Device time"): the device clock the session reports at
/// `identified` and the gateway clock then (wall time in the meters' zone) give each reading a
/// `DeviceTimeVerdict`: its corrected time and clock offset are stored with it, and a reading
/// whose time is implausible is stored held (`held_reason`), never uploaded. A correction and
/// a hold are each logged once per session (PG-CLK-001, PG-CLK-002).
package final class StoreSink: SessionSink {
    private let store: Store
    private let sessionID: Int64
    private let uplink: Uplink
    private let logger: Logger
    private let provenance: ReadingProvenance
    private let stopRequested: @Sendable () -> Bool
    private let progress: @Sendable (_ newReading: Bool) -> Void
    private let clock: DeviceClockSettings
    /// The device clock (nil: unreadable) and the gateway clock at `identified`.
    private var clockAtConnect: (device: LocalDateTime?, gateway: LocalDateTime)?
    private var loggedCorrection = false
    private var loggedHold = false
    private let patients: PatientBinding
    private var loggedPatientHolds: Set<String> = []
    private let analytes: AnalyteTable
    private var loggedValueHolds: Set<ValueHold> = []
    /// The profile the session runs, kept with every undecoded record.
    private let profileID: String
    /// The device's serial once it identified itself (undecoded records are kept under it).
    private var deviceSerial: String?
    private var loggedTextChanges: Set<String> = []
    /// The session's undecoded records: how many, how many kept (`rejected`).
    package private(set) var problems = ProblemTally()

    /// `progress` is called after every record the device delivered (`newReading` when it was
    /// stored as new) and after the device identified itself.
    package init(store: Store, sessionID: Int64, uplink: Uplink, provenance: ReadingProvenance,
         clock: DeviceClockSettings = DeviceClockSettings(), patients: PatientBinding = .center,
         analytes: AnalyteTable = .empty, profileID: String = "unknown", logger: Logger,
         stopRequested: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (_ newReading: Bool) -> Void) {
        self.store = store
        self.sessionID = sessionID
        self.uplink = uplink
        self.provenance = provenance
        self.logger = logger
        self.stopRequested = stopRequested
        self.progress = progress
        self.clock = clock
        self.patients = patients
        self.analytes = analytes
        self.profileID = profileID
    }

    package var shouldStop: Bool { stopRequested() }

    package func latestRecordKey(prefix: String) -> String? {
        guard let deviceSerial else { return nil }
        do {
            return try store.latestRecordKey(deviceSerial: deviceSerial, prefix: prefix)
        } catch {
            logger.warning("cannot look up the last stored record; asking the device for all of them",
                           metadata: ["code": "\(LogCode.sessionFailed)", "error": "\(error)"])
            return nil
        }
    }

    package func identified(serial rawSerial: String, model rawModel: String, deviceClock: LocalDateTime?) throws {
        let serial = kept(rawSerial, "serial"), model = kept(rawModel, "model")
        let now = WallClock.millis()
        try store.identifySession(sessionID, deviceSerial: serial, deviceModel: model, deviceClock: deviceClock,
                                  gatewayClockMillis: now)
        clockAtConnect = (deviceClock, clock.localTime(millis: now))
        deviceSerial = serial
        logger.info("device identified", metadata: ["meter": "\(serial)", "model": "\(model)",
                                                   "clock": "\(deviceClock?.description ?? "unreadable")"])
        progress(false)
    }

    /// A device serial or model as the store keeps it, whatever protocol decoded it: control
    /// characters escaped (a NUL never cuts it), at most `DeviceText.maximumIdentityLength`
    /// characters (`DeviceText.identity`). Each change is logged once per session (PG-SES-012).
    private func kept(_ text: String, _ what: String) -> String {
        let k = DeviceText.identity(text, what: what)
        if let problem = k.problem, loggedTextChanges.insert(problem).inserted {
            logger.warning("device text changed to keep it", metadata: ["code": "\(LogCode.deviceTextChanged)", "problem": "\(problem)"])
        }
        return k.text
    }

    /// The verdict on `reading`'s device time; without an `identified` first, the gateway's
    /// clock now stands in and the device clock counts as unreadable (device time used).
    package func verdict(_ reading: Reading, nowMillis: Int64) -> DeviceTimeVerdict {
        let atConnect = clockAtConnect ?? (nil, clock.localTime(millis: nowMillis))
        guard let offset = reading.utcOffsetSeconds else {
            return DeviceTimeVerdict(deviceTime: reading.deviceTime, deviceClock: atConnect.device,
                                     gatewayClock: atConnect.gateway, policy: clock.policy,
                                     dateOnly: reading.timePrecision?.isDateOnly ?? false)
        }
        // A time with its own UTC offset (HL7 `+ZZZZ`) is judged as the same instant in the
        // gateway's zone; it is uploaded with the device's offset, so nothing is corrected.
        let utcMillis = (reading.deviceTime.secondsSinceEpoch - Int64(offset)) * 1000
        var verdict = DeviceTimeVerdict(deviceTime: clock.localTime(millis: utcMillis), deviceClock: atConnect.device,
                                        gatewayClock: atConnect.gateway, policy: clock.policy)
        if !verdict.corrected { verdict.correctedTime = reading.deviceTime }
        return verdict
    }

    package func received(_ decoded: Reading) throws -> Bool {
        var reading = decoded
        reading.deviceSerial = kept(decoded.deviceSerial, "serial")
        reading.deviceModel = kept(decoded.deviceModel, "model")
        let now = WallClock.millis()
        // A value outside its analyte's plausible range is stored held, never uploaded silently.
        if reading.valueHold == nil { reading.valueHold = analytes.valueHold(reading) }
        let time = verdict(reading, nowMillis: now)
        let result = Result { () throws(StoreError) -> InsertOutcome in
            try store.insert(reading, sessionID: sessionID, receivedAtMillis: now, provenance: provenance, time: time,
                             patients: patients)
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
            logClock(time, reading: reading)
            if time.hold == nil { logPatientHold(readingID: id, reading: reading) }
            if time.hold == nil, let hold = reading.valueHold { logValueHold(hold, reading: reading) }
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

    /// Logs the session's clock skew (corrected) and held readings, each once per session.
    private func logClock(_ time: DeviceTimeVerdict, reading: Reading) {
        if let hold = time.hold {
            guard !loggedHold else { return }
            loggedHold = true
            logger.warning("device clock implausible: readings stored but held back from upload", metadata: [
                "code": "\(LogCode.clockReadingsHeld)", "meter": "\(reading.deviceSerial)", "reason": "\(hold.rawValue)",
                "device_time": "\(reading.deviceTime)",
                "device_clock": "\(clockAtConnect?.device?.description ?? "unreadable")",
                "gateway_clock": "\(clockAtConnect?.gateway.description ?? "unknown")",
            ])
        } else if time.corrected, let skew = time.skewSeconds {
            guard !loggedCorrection else { return }
            loggedCorrection = true
            logger.warning("device clock off: reading times corrected", metadata: [
                "code": "\(LogCode.clockSkewCorrected)", "meter": "\(reading.deviceSerial)", "skew_s": "\(skew)",
                "device_clock": "\(clockAtConnect?.device?.description ?? "unreadable")",
                "gateway_clock": "\(clockAtConnect?.gateway.description ?? "unknown")",
            ])
        }
    }

    /// Logs, once per session and reason, that readings were stored but held for their patient
    /// (docs/CODES.md "Patients"). The patient id is never logged, only its masked form.
    private func logPatientHold(readingID: Int64, reading: Reading) {
        guard let reason = try? store.heldReason(readingID: readingID), let hold = PatientHold(rawValue: reason),
              loggedPatientHolds.insert(reason).inserted else { return }
        switch hold {
        case .unbound:
            logger.warning("device bound to no patient: readings stored but held back from upload", metadata: [
                "code": "\(LogCode.patientUnbound)", "meter": "\(reading.deviceSerial)",
                "fix": "pocgate bind \(reading.deviceSerial) <resident ID>",
            ])
        case .invalidPatientID:
            let supplied = reading.patientID.map { ResidentID.masked($0) } ?? "the bound patient"
            logger.warning("patient ID is not a valid resident ID: readings stored but held back from upload", metadata: [
                "code": "\(LogCode.patientIDInvalid)", "meter": "\(reading.deviceSerial)", "patient_masked": "\(supplied)",
                "fix": "pocgate queue held, then pocgate queue attach <reading id> <resident ID>",
            ])
        case .missingPatientID:
            logger.warning("ECG recorded with no patient ID: stored but held back from upload", metadata: [
                "code": "\(LogCode.ecgWithoutPatient)", "meter": "\(reading.deviceSerial)",
                "fix": "pocgate queue held, then pocgate queue attach <reading id> <resident ID>",
            ])
        }
    }

    /// Logs, once per session and reason, that a value was stored but held (PG-VAL-001).
    private func logValueHold(_ hold: ValueHold, reading: Reading) {
        guard loggedValueHolds.insert(hold).inserted else { return }
        let range = analytes.plausibleRange(kind: reading.kind, code: reading.code, unit: reading.unit)
        logger.warning("reading value held back from upload", metadata: [
            "code": "\(LogCode.valueHeld)", "meter": "\(reading.deviceSerial)", "reason": "\(hold.rawValue)",
            "kind": "\(reading.kind.rawValue)", "value": "\(reading.value)", "unit": "\(reading.unit)",
            "range": "\(range.map { "\($0.lowerBound)...\($0.upperBound)" } ?? "none")",
        ])
    }

    /// Keeps the record, with its bytes, as a problem (`pocgate queue problems`): never
    /// uploaded. A record already kept by an earlier session is logged at debug level only.
    /// Past the session's limits (`ProblemTally`) or the store's (`StoreLimits.problemRows`)
    /// records are counted, not kept, and the log gets one line per power of ten instead of
    /// one per record.
    package func rejected(_ why: String, raw: [UInt8]) {
        let serial = deviceSerial ?? "unknown"
        let step = problems.arrive(size: raw.count)
        if step.firstNotKept {
            logger.warning("too many undecoded records in this session: further ones are counted, not kept", metadata: [
                "code": "\(LogCode.undecodedRecordsNotKept)", "meter": "\(serial)", "kept": "\(problems.keptRows)",
                "kept_bytes": "\(problems.keptBytes)"])
        }
        if step.milestone {
            logger.warning("undecoded records keep arriving", metadata: [
                "code": "\(LogCode.recordNotDecoded)", "meter": "\(serial)", "undecoded": "\(problems.seen)",
                "kept": "\(problems.keptRows)", "not_kept": "\(problems.notKept)", "reason": "\(why)",
                "raw": "\(ProblemTally.loggedHex(raw))"])
        }
        guard step.mayKeep else { return }
        do {
            let outcome = try store.keepProblem(sessionID: sessionID, profileID: profileID, deviceSerial: serial, reason: why,
                                                raw: raw, atMillis: WallClock.millis())
            if case let .notKept(cause, keptRows, keptBytes) = outcome {
                if problems.refusedByStore() {
                    logger.warning("the store keeps no more undecoded records: further ones are counted, not kept", metadata: [
                        "code": "\(LogCode.storeKeepsNoMoreProblems)", "meter": "\(serial)", "cause": "\(cause.rawValue)",
                        "store_kept": "\(keptRows)", "store_kept_bytes": "\(keptBytes)",
                        "fix": "pocgate queue problems, then pocgate queue problems --drop-through <id>",
                    ])
                }
                guard step.logLine else { return }
                logger.warning("record not decoded, and the store keeps no more problems", metadata: [
                    "code": "\(LogCode.recordNotDecoded)", "meter": "\(serial)", "reason": "\(why)", "raw": "\(ProblemTally.loggedHex(raw))"])
                return
            }
            let new = outcome == .kept
            if new { problems.kept(size: raw.count) }
            guard step.logLine else { return }
            guard new else {
                logger.debug("record not decoded, already kept as a problem", metadata: [
                    "reason": "\(why)", "raw": "\(ProblemTally.loggedHex(raw))"])
                return
            }
            logger.warning("record not decoded: kept as a problem, not uploaded", metadata: [
                "code": "\(LogCode.recordNotDecoded)", "meter": "\(serial)", "reason": "\(why)", "raw": "\(ProblemTally.loggedHex(raw))"])
        } catch {
            guard step.logLine || step.milestone else { return }
            logger.warning("record not decoded, and keeping it as a problem failed", metadata: [
                "code": "\(LogCode.recordNotDecoded)", "meter": "\(serial)", "reason": "\(why)", "raw": "\(ProblemTally.loggedHex(raw))",
                "error": "\(error)"])
        }
    }
}

/// Wall-clock milliseconds since the Unix epoch.
package enum WallClock {
    package static func millis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// What a session needs to judge device times: the policy and the meters' zone.
package struct DeviceClockSettings: Sendable {
    package var policy = ClockPolicy()
    package var zone = ZoneInfo.named("Asia/Shanghai") ?? .utc

    package init(policy: ClockPolicy = ClockPolicy(), zone: ZoneInfo = ZoneInfo.named("Asia/Shanghai") ?? .utc) {
        self.policy = policy
        self.zone = zone
    }

    /// The wall-clock time in `zone` at Unix milliseconds `millis`.
    package func localTime(millis: Int64) -> LocalDateTime {
        let seconds = Int64((Double(millis) / 1000).rounded(.down))
        let offset = zone.secondsFromGMT(at: seconds)
        return LocalDateTime(secondsSinceEpoch: seconds + Int64(offset))
    }
}
