import Foundation
import PocGateCore
@testable import Store

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TempDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A glucose reading with overridable identity and value.
func sampleReading(serial: String = "TD4277-0001", key: String = "2024-06-15T08:30:00#1",
                   value: String = "5.60", unit: String = "mmol/L",
                   flags: [ReadingFlag] = [.beforeMeal], raw: [UInt8] = [0x51, 0x26, 0x01]) -> Reading {
    Reading(profileID: "taidoc-td4277", deviceSerial: serial, deviceModel: "TD-4277", recordKey: key,
            kind: .glucose, code: unit == "mg/dL" ? "41653-7" : "14743-9",
            value: ExactDecimal(parsing: value)!, unit: unit,
            deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30),
            flags: flags, raw: raw)
}

/// The file mode bits of `path` (e.g. 0o600), or nil when it does not exist.
func fileMode(_ path: String) -> Int? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
          let mode = attributes[.posixPermissions] as? NSNumber else { return nil }
    return mode.intValue & 0o777
}

extension Store {
    /// Runs a query returning one text column per row, for assertions on the raw schema.
    func textColumn(_ sql: String) throws -> [String] {
        try locked { (db: Connection) throws(StoreError) -> [String] in
            try db.withStatement(sql, context: "test query") { (st: Statement) throws(StoreError) -> [String] in
                var out: [String] = []
                while try st.step("test query") { out.append(st.text(0)) }
                return out
            }
        }
    }

    /// Runs SQL statements directly, for tests that tamper with the database.
    func executeRaw(_ sql: String) throws {
        try locked { (db: Connection) throws(StoreError) in try db.execute(sql, context: "test statement") }
    }
}
