/// One step of the store's schema history: plain SQL, applied once, in its own transaction,
/// and recorded in `schema_migrations`.
///
/// Append-only: a migration that has shipped is never edited or removed; a change to the
/// schema is a new migration with the next version number.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sql: String

    /// Every migration this build knows, in order.
    static let all: [Migration] = [
        Migration(version: 1, name: "create readings, outbox and sessions", sql: """
            CREATE TABLE sessions (
                id INTEGER PRIMARY KEY,
                devnode TEXT NOT NULL,
                profile_id TEXT NOT NULL,
                device_serial TEXT,
                device_model TEXT,
                device_clock TEXT,
                gateway_clock_ms INTEGER,
                started_at_ms INTEGER NOT NULL,
                ended_at_ms INTEGER,
                outcome TEXT,
                records_read INTEGER NOT NULL DEFAULT 0,
                records_new INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE readings (
                id INTEGER PRIMARY KEY,
                device_serial TEXT NOT NULL,
                record_key TEXT NOT NULL,
                profile_id TEXT NOT NULL,
                device_model TEXT NOT NULL,
                kind TEXT NOT NULL,
                code TEXT NOT NULL,
                value TEXT NOT NULL,
                unit TEXT NOT NULL,
                device_time TEXT NOT NULL,
                flags TEXT NOT NULL,
                raw BLOB NOT NULL,
                session_id INTEGER REFERENCES sessions(id),
                received_at_ms INTEGER NOT NULL,
                delivered_at_ms INTEGER,
                UNIQUE (device_serial, record_key)
            );
            CREATE TABLE outbox (
                reading_id INTEGER PRIMARY KEY REFERENCES readings(id),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at_ms INTEGER NOT NULL DEFAULT 0,
                last_error TEXT
            );
            CREATE INDEX outbox_next_attempt ON outbox(next_attempt_at_ms);
            """),
        Migration(version: 2, name: "provenance, signed batches, dead letters and pruned keys", sql: """
            ALTER TABLE readings ADD COLUMN profile_version INTEGER;
            ALTER TABLE readings ADD COLUMN profile_hash TEXT;
            ALTER TABLE readings ADD COLUMN gateway_id TEXT;
            CREATE TABLE batches (
                sequence INTEGER PRIMARY KEY,
                gateway_id TEXT NOT NULL,
                previous_sha256 TEXT NOT NULL,
                body_sha256 TEXT NOT NULL,
                signature TEXT NOT NULL,
                body BLOB,
                manifest TEXT,
                reading_count INTEGER NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acknowledged', 'refused')),
                created_at_ms INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at_ms INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                response_status INTEGER,
                settled_at_ms INTEGER
            );
            CREATE INDEX batches_pending ON batches(sequence) WHERE state = 'pending';
            ALTER TABLE outbox ADD COLUMN batch_sequence INTEGER REFERENCES batches(sequence);
            ALTER TABLE outbox ADD COLUMN batch_limit INTEGER;
            CREATE INDEX outbox_batch ON outbox(batch_sequence) WHERE batch_sequence IS NOT NULL;
            CREATE TABLE dead_letters (
                reading_id INTEGER PRIMARY KEY REFERENCES readings(id),
                batch_sequence INTEGER,
                http_status INTEGER,
                reason TEXT NOT NULL,
                response TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                dead_at_ms INTEGER NOT NULL,
                dropped_at_ms INTEGER,
                drop_reason TEXT
            );
            CREATE TABLE pruned_keys (
                device_serial TEXT NOT NULL,
                record_key TEXT NOT NULL,
                PRIMARY KEY (device_serial, record_key)
            ) WITHOUT ROWID;
            """),
        Migration(version: 3, name: "device time: clock offset, corrected time, held outbox rows; no queued control results", sql: """
            ALTER TABLE readings ADD COLUMN clock_offset_s INTEGER;
            ALTER TABLE readings ADD COLUMN corrected_time TEXT;
            ALTER TABLE outbox ADD COLUMN held_reason TEXT;
            CREATE INDEX outbox_held ON outbox(held_reason) WHERE held_reason IS NOT NULL;
            DELETE FROM outbox
            WHERE batch_sequence IS NULL
              AND reading_id IN (SELECT id FROM readings WHERE (',' || flags || ',') LIKE '%,control-solution,%');
            """),
        Migration(version: 4, name: "patients, panels and waveforms: patient ids, components, waveform, device bindings, audit log", sql: """
            ALTER TABLE readings ADD COLUMN patient_id TEXT;
            ALTER TABLE readings ADD COLUMN components TEXT;
            ALTER TABLE readings ADD COLUMN waveform BLOB;
            ALTER TABLE readings ADD COLUMN bound_patient_id TEXT;
            CREATE TABLE device_bindings (
                device_serial TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL,
                bound_at_ms INTEGER NOT NULL,
                bound_by TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at_ms INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                device_serial TEXT,
                old_patient_id TEXT,
                new_patient_id TEXT,
                detail TEXT
            );
            """),
        Migration(version: 5, name: "standard meanings: UTC offset, result status, observation identity, amendments, body site", sql: """
            ALTER TABLE readings ADD COLUMN utc_offset_s INTEGER;
            ALTER TABLE readings ADD COLUMN status TEXT;
            ALTER TABLE readings ADD COLUMN identity TEXT;
            ALTER TABLE readings ADD COLUMN amends_key TEXT;
            ALTER TABLE readings ADD COLUMN body_site TEXT;
            CREATE INDEX readings_identity ON readings(device_serial, identity) WHERE identity IS NOT NULL;
            """),
        Migration(version: 6, name: "ECG: a patient attached by hand to a held reading, the cart's statements and settings", sql: """
            ALTER TABLE readings ADD COLUMN attached_patient_id TEXT;
            ALTER TABLE readings ADD COLUMN ecg_context TEXT;
            """),
        Migration(version: 7, name: "undecoded records kept as problems with their bytes", sql: """
            CREATE TABLE record_problems (
                id INTEGER PRIMARY KEY,
                session_id INTEGER,
                profile_id TEXT NOT NULL,
                device_serial TEXT NOT NULL,
                reason TEXT NOT NULL,
                raw BLOB NOT NULL,
                first_seen_at_ms INTEGER NOT NULL,
                UNIQUE (device_serial, reason, raw)
            );
            """),
        Migration(version: 8, name: "device time precision; value holds kept with the reading and released by a person", sql: """
            ALTER TABLE readings ADD COLUMN time_precision TEXT;
            ALTER TABLE readings ADD COLUMN value_hold TEXT;
            ALTER TABLE readings ADD COLUMN value_released_at_ms INTEGER;
            UPDATE readings SET value_hold = (SELECT held_reason FROM outbox WHERE outbox.reading_id = readings.id)
                WHERE id IN (SELECT reading_id FROM outbox WHERE held_reason IN ('implausible-value', 'device-warning'));
            """),
    ]

    /// The highest schema version this build can read and write.
    static var latestVersion: Int { all.last?.version ?? 0 }
}
