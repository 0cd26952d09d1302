internal import CSQLite
public import PocGateCore

extension Store {
    /// Stores `reading` and queues it for delivery, in one transaction (the live session's path:
    /// one durable commit per record). A control-solution result is stored but never queued: it
    /// tests the meter, not the patient, and must not reach the center as a patient Observation.
    ///
    /// When a reading with the same device serial and record key is already stored, nothing is
    /// written and `.duplicate` names the existing row: re-reading a device's memory is safe.
    ///
    /// - Throws: `StoreError.full` when the store is at its cap with nothing left to prune, or
    ///   the disk is full; nothing was stored and the caller should stop reading the device.
    public func insert(_ reading: Reading, sessionID: Int64?, receivedAtMillis: Int64,
                       provenance: ReadingProvenance = ReadingProvenance(),
                       time: DeviceTimeVerdict? = nil, patients: PatientBinding = .center) throws(StoreError) -> InsertOutcome {
        try insert(contentsOf: [(reading, provenance)], sessionID: sessionID, receivedAtMillis: receivedAtMillis,
                   times: time.map { [$0] }, patients: patients)[0]
    }

    /// Stores many readings in one transaction (bulk ingest: one durable commit for all),
    /// through the same statements as `insert`. All or nothing: on `StoreError.full` none is stored.
    ///
    /// `times` (one per item, or nil) are the device-time verdicts: the clock offset and the
    /// corrected time are stored with the reading, and a held verdict queues it with its
    /// `held_reason` (never selected for a batch). Without a verdict the device time is used.
    ///
    /// Patients (`patients`, docs/CODES.md "Patients"): a device-supplied patient id that is not
    /// a valid resident ID holds the reading (`invalid-patient-id`); with `.gateway` binding a
    /// reading without one takes the device's bound patient (stored with it), or is held
    /// `unbound` when the device is bound to nobody. A clock hold goes first.
    public func insert(contentsOf items: [(Reading, ReadingProvenance)], sessionID: Int64?,
                       receivedAtMillis: Int64, times: [DeviceTimeVerdict]? = nil,
                       patients: PatientBinding = .center) throws(StoreError) -> [InsertOutcome] {
        guard !items.isEmpty else { return [] }
        precondition(times == nil || times!.count == items.count, "one device-time verdict per reading")
        let items: [(Reading, ReadingProvenance, DeviceTimeVerdict?)] = items.enumerated().map { i, item in
            (item.0, item.1, times?[i])
        }
        let context = items.count == 1
            ? "storing reading \(items[0].0.deviceSerial)/\(items[0].0.recordKey)" : "storing \(items.count) readings"
        return try locked { (db: Connection) throws(StoreError) -> [InsertOutcome] in
            do throws(StoreError) {
                try ensureRoom(db)
            } catch {
                // No room: readings already stored (or delivered and pruned) still need none.
                guard let known = try knownOutcomes(db, items, context: context) else { throw error }
                return known
            }
            do throws(StoreError) {
                return try insertRows(db, items, sessionID: sessionID, receivedAtMillis: receivedAtMillis, patients: patients, context: context)
            } catch let error where error.isFull {
                // A full disk (or a page-count cap): prune what was delivered and try once more.
                guard try prune(db) > 0 else { throw fullError(db) }
                do throws(StoreError) {
                    return try insertRows(db, items, sessionID: sessionID, receivedAtMillis: receivedAtMillis, patients: patients, context: context)
                } catch let again where again.isFull {
                    throw fullError(db)
                }
            }
        }
    }

    /// The outcomes when every item is already stored or pruned; nil when one is new.
    private func knownOutcomes(_ db: Connection, _ items: [(Reading, ReadingProvenance, DeviceTimeVerdict?)],
                               context: String) throws(StoreError) -> [InsertOutcome]? {
        var outcomes: [InsertOutcome] = []
        for (reading, _, _) in items {
            if try isPruned(db, reading, context: context) {
                outcomes.append(.alreadyDelivered)
            } else if let id = try storedID(db, reading, context: context) {
                outcomes.append(.duplicate(id: id))
            } else {
                return nil
            }
        }
        return outcomes
    }

    private func isPruned(_ db: Connection, _ reading: Reading, context: String) throws(StoreError) -> Bool {
        try db.withStatement(
            "SELECT 1 FROM pruned_keys WHERE device_serial = ? AND record_key = ?", context: context
        ) { (st: Statement) throws(StoreError) -> Bool in
            try st.bind(1, reading.deviceSerial)
            try st.bind(2, reading.recordKey)
            return try st.step(context)
        }
    }

    private func storedID(_ db: Connection, _ reading: Reading, context: String) throws(StoreError) -> Int64? {
        try db.withStatement("SELECT id FROM readings WHERE device_serial = ? AND record_key = ?",
                             context: context) { (st: Statement) throws(StoreError) -> Int64? in
            try st.bind(1, reading.deviceSerial)
            try st.bind(2, reading.recordKey)
            return try st.step(context) ? st.int64(0) : nil
        }
    }

    private func fullError(_ db: Connection) -> StoreError {
        .full(usedBytes: (try? usedBytes(db)) ?? 0, limitBytes: nil)
    }

    private func insertRows(_ db: Connection, _ items: [(Reading, ReadingProvenance, DeviceTimeVerdict?)], sessionID: Int64?,
                            receivedAtMillis: Int64, patients: PatientBinding, context: String) throws(StoreError) -> [InsertOutcome] {
        try db.transaction(context) { () throws(StoreError) -> [InsertOutcome] in
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(items.count)
            for (reading, provenance, time) in items {
                outcomes.append(try insertRow(db, reading, provenance, time, sessionID: sessionID,
                                              receivedAtMillis: receivedAtMillis, patients: patients, context: context))
            }
            return outcomes
        }
    }

    private func insertRow(_ db: Connection, _ reading: Reading, _ provenance: ReadingProvenance,
                           _ time: DeviceTimeVerdict?, sessionID: Int64?,
                           receivedAtMillis: Int64, patients: PatientBinding, context: String) throws(StoreError) -> InsertOutcome {
        if try isPruned(db, reading, context: context) { return .alreadyDelivered }
        let patient = try patientVerdict(db, reading, patients: patients, atMillis: receivedAtMillis, context: context)
        let amended = try amendedKey(db, reading, context: context)
        let inserted = try db.withStatement("""
            INSERT INTO readings(device_serial, record_key, profile_id, device_model, kind, code, value, unit,
                                 device_time, flags, raw, session_id, received_at_ms,
                                 profile_version, profile_hash, gateway_id, clock_offset_s, corrected_time,
                                 patient_id, components, waveform, bound_patient_id, ecg_context,
                                 utc_offset_s, status, identity, amends_key, body_site, time_precision, value_hold)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(device_serial, record_key) DO NOTHING
            """, context: context) { (st: Statement) throws(StoreError) -> Bool in
            try st.bind(1, reading.deviceSerial)
            try st.bind(2, reading.recordKey)
            try st.bind(3, reading.profileID)
            try st.bind(4, reading.deviceModel)
            try st.bind(5, reading.kind.rawValue)
            try st.bind(6, reading.code)
            try st.bind(7, reading.value.description)
            try st.bind(8, reading.unit)
            try st.bind(9, reading.deviceTime.description)
            try st.bind(10, reading.flags.map(\.rawValue).joined(separator: ","))
            try st.bind(11, blob: reading.raw)
            try st.bind(12, sessionID)
            try st.bind(13, receivedAtMillis)
            try st.bind(14, provenance.profileVersion.map(Int64.init))
            try st.bind(15, provenance.profileHash)
            try st.bind(16, provenance.gatewayID)
            try st.bind(17, time?.skewSeconds)
            try st.bind(18, time?.correctedTime.description)
            try st.bind(19, reading.patientID)
            try st.bind(20, ComponentsText.encode(reading.components))
            if let waveform = reading.waveform {
                try st.bind(21, blob: WaveformBlob.encode(waveform))
            } else {
                try st.bind(21, nil as String?)
            }
            try st.bind(22, patient.boundPatientID)
            try st.bind(23, reading.ecgContext.map(ECGContextText.encode))
            try st.bind(24, reading.utcOffsetSeconds.map(Int64.init))
            try st.bind(25, reading.status == .final ? nil : reading.status.rawValue)
            try st.bind(26, reading.identity)
            try st.bind(27, amended)
            try st.bind(28, reading.bodySite)
            try st.bind(29, reading.timePrecision?.storeText)
            try st.bind(30, reading.valueHold?.rawValue)
            _ = try st.step(context)
            return db.changes == 1
        }
        guard inserted else {
            guard let id = try storedID(db, reading, context: context) else {
                throw .sqlite(code: SQLITE_INTERNAL, message: "the conflicting row vanished", context: context)
            }
            return .duplicate(id: id)
        }
        let id = db.lastInsertRowID
        guard !reading.flags.contains(.controlSolution) else { return .inserted(id: id) }
        try db.withStatement("INSERT INTO outbox(reading_id, held_reason) VALUES (?, ?)", context: context) {
            (st: Statement) throws(StoreError) in
            try st.bind(1, id)
            try st.bind(2, time?.hold?.rawValue ?? reading.valueHold?.rawValue ?? patient.hold?.rawValue)
            _ = try st.step(context)
        }
        return .inserted(id: id)
    }

    /// The record key of the earlier reading `reading` amends: for a correction or withdrawal,
    /// the first stored reading of the device with the same identity; for a final result, the
    /// first one with that identity when it was preliminary. Nil when there is none (a
    /// correction of a result the gateway never saw is uploaded as a new Observation).
    private func amendedKey(_ db: Connection, _ reading: Reading, context: String) throws(StoreError) -> String? {
        guard let identity = reading.identity else { return nil }
        let wanted: String
        switch reading.status {
        case .corrected, .enteredInError: wanted = "1"
        case .final: wanted = "status = 'preliminary'"
        case .preliminary: return nil
        }
        return try db.withStatement("""
            SELECT record_key FROM readings
            WHERE device_serial = ? AND identity = ? AND amends_key IS NULL AND record_key <> ? AND \(wanted)
            ORDER BY id LIMIT 1
            """, context: context) { (st: Statement) throws(StoreError) -> String? in
            try st.bind(1, reading.deviceSerial)
            try st.bind(2, identity)
            try st.bind(3, reading.recordKey)
            return try st.step(context) ? st.text(0) : nil
        }
    }

    /// SQL condition on `readings` (unaliased) selecting control-solution results.
    static let controlCondition = "(',' || flags || ',') LIKE '%,control-solution,%'"

    /// The columns `readingFromRow` expects, starting at column 0 (`r` is the readings alias).
    static let readingColumns = """
        r.id, r.device_serial, r.record_key, r.profile_id, r.device_model, r.kind, r.code, r.value, r.unit,
        r.device_time, r.flags, r.raw, r.received_at_ms, r.profile_version, r.profile_hash, r.gateway_id, r.session_id,
        r.corrected_time, r.clock_offset_s, r.patient_id, r.components, r.waveform, r.bound_patient_id,
        r.ecg_context, r.attached_patient_id, r.utc_offset_s, r.status, r.identity, r.amends_key, r.body_site,
        r.time_precision, r.value_hold, r.value_released_at_ms
        """
    /// The first column after `readingColumns`.
    static let firstExtraColumn: Int32 = 33

    /// Decodes the row selected with `readingColumns`; column `firstExtraColumn` onwards is the caller's.
    static func readingFromRow(_ st: Statement) throws(StoreError) -> (id: Int64, reading: Reading, receivedAtMillis: Int64) {
        let id = st.int64(0)
        let kindText = st.text(5)
        guard let kind = ObservationKind(rawValue: kindText) else {
            throw .unreadableRow(id: id, column: "kind", value: kindText)
        }
        let valueText = st.text(7)
        guard let value = ExactDecimal(parsing: valueText) else {
            throw .unreadableRow(id: id, column: "value", value: valueText)
        }
        let timeText = st.text(9)
        guard let time = LocalDateTime(iso: timeText) else {
            throw .unreadableRow(id: id, column: "device_time", value: timeText)
        }
        var flags: [ReadingFlag] = []
        for name in st.text(10).split(separator: ",") {
            guard let flag = ReadingFlag(rawValue: String(name)) else {
                throw .unreadableRow(id: id, column: "flags", value: String(name))
            }
            flags.append(flag)
        }
        var components: [ReadingComponent] = []
        if let text = st.optionalText(20) {
            guard let parsed = ComponentsText.decode(text) else { throw .unreadableRow(id: id, column: "components", value: text) }
            components = parsed
        }
        var waveform: Waveform?
        if st.isNull(21) == false {
            guard let decoded = WaveformBlob.decode(st.blob(21)) else {
                throw .unreadableRow(id: id, column: "waveform", value: "\(st.blob(21).count) bytes")
            }
            waveform = decoded
        }
        var ecgContext: ECGContext?
        if let text = st.optionalText(23) {
            guard let decoded = ECGContextText.decode(text) else { throw .unreadableRow(id: id, column: "ecg_context", value: text) }
            ecgContext = decoded
        }
        var reading = Reading(profileID: st.text(3), deviceSerial: st.text(1), deviceModel: st.text(4),
                              recordKey: st.text(2), kind: kind, code: st.text(6), value: value, unit: st.text(8),
                              deviceTime: time, flags: flags, raw: st.blob(11), patientID: st.optionalText(19),
                              components: components, waveform: waveform, ecgContext: ecgContext)
        reading.utcOffsetSeconds = st.optionalInt64(25).map { Int($0) }
        if let text = st.optionalText(26) {
            guard let status = ResultStatus(rawValue: text) else { throw .unreadableRow(id: id, column: "status", value: text) }
            reading.status = status
        }
        reading.identity = st.optionalText(27)
        reading.bodySite = st.optionalText(29)
        if let text = st.optionalText(30) {
            guard let precision = DeviceTimePrecision(storeText: text) else {
                throw .unreadableRow(id: id, column: "time_precision", value: text)
            }
            reading.timePrecision = precision
        }
        if let text = st.optionalText(31) {
            guard let hold = ValueHold(rawValue: text) else { throw .unreadableRow(id: id, column: "value_hold", value: text) }
            reading.valueHold = hold
        }
        return (id, reading, st.int64(12))
    }

    /// Decodes a full `StoredReading` from a `readingColumns` row; `attempts` and `batchLimit`
    /// come from the caller's columns.
    static func storedReadingFromRow(_ st: Statement, attemptsColumn: Int32?, batchLimitColumn: Int32?) throws(StoreError) -> StoredReading {
        let row = try readingFromRow(st)
        let provenance = ReadingProvenance(gatewayID: st.optionalText(15), profileVersion: st.optionalInt64(13).map { Int($0) },
                                           profileHash: st.optionalText(14))
        var corrected: LocalDateTime?
        if let text = st.optionalText(17) {
            guard let time = LocalDateTime(iso: text) else {
                throw .unreadableRow(id: row.id, column: "corrected_time", value: text)
            }
            corrected = time
        }
        return StoredReading(id: row.id, reading: row.reading, receivedAtMillis: row.receivedAtMillis,
                             attempts: attemptsColumn.map { Int(st.int64($0)) } ?? 0, provenance: provenance,
                             sessionID: st.optionalInt64(16), batchLimit: batchLimitColumn.flatMap { st.optionalInt64($0) }.map { Int($0) },
                             correctedTime: corrected, clockOffsetSeconds: st.optionalInt64(18),
                             boundPatientID: st.optionalText(22), attachedPatientID: st.optionalText(24),
                             amendsRecordKey: st.optionalText(28), valueReleasedAtMillis: st.optionalInt64(32))
    }
}
