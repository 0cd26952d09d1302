import DeviceProfiles
import Foundation
import FrameParsing
import PocGateCore
import Testing

/// The FORA D40's glucose record: FORA's notes give its value reply as `d0 d1` LE mg/dL,
/// `d2` ambient temperature, `d3` bits 7..6 the context and bits 5..0 the strip code number.
/// The frames here are built from those notes, not from the decoder; the model table is the
/// shipped `fora-2in1` profile's.
@Suite struct ForaD40GlucoseTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func shipped(_ path: String) throws -> DeviceProfile {
        let file = repo + "/DeviceProfiles/" + path + "/profile.yaml"
        return try DeviceProfile.parse(try String(contentsOfFile: file, encoding: .utf8), file: file, families: .builtIn)
    }

    /// Feeds a model reply, then one record's time (2024-06-15 08:30) and value replies.
    static func record(model: (UInt8, UInt8), value: (UInt8, UInt8, UInt8, UInt8), models: TaiDocModels) throws -> TaiDocRecord {
        var dump = TaiDocDump(models: models)
        _ = dump.consume(TaiDocFrame(command: 0x24, payload: (model.0, model.1, 0, 0), direction: .meterToHost))
        _ = dump.consume(TaiDocFrame(command: 0x25, payload: (0xCF, 0x30, 30, 8), direction: .meterToHost))
        guard case let .record(r) = dump.consume(TaiDocFrame(command: 0x26, payload: value, direction: .meterToHost)) else {
            throw RecordMissing()
        }
        return r
    }

    struct RecordMissing: Error {}

    /// Clinical risk: a real D40's glucose never uploaded. Its code number (23) sat where the
    /// TD-42xx layout reads an analyte, so the record was refused as "analyte 5".
    @Test func aD40GlucoseRecordWithCodeNumber23IsUploadedAsGlucoseWithItsMealContext() throws {
        let table = try Self.shipped("taidoc/fora-2in1").taidocModelTable
        // 142 mg/dL, 24 °C ambient, after meal (bits 7..6 = 2), code number 23 (bits 5..0).
        let r = try Self.record(model: (0x61, 0x32), value: (142, 0, 24, 0x80 | 23), models: table)
        let readings = try r.readings(profileID: "fora-2in1", serial: "S", model: "TD-3261").get()
        #expect(readings.map { "\($0.kind.rawValue) \($0.code) \($0.value) \($0.unit)" } == ["glucose 41653-7 142 mg/dL"])
        #expect(readings.first?.flags == [.afterMeal])
        #expect(readings.first?.raw.suffix(8).prefix(6) == [0x51, 0x26, 142, 0, 24, 0x97], "the code number stays in the raw bytes")
        #expect(readings.first?.recordKey == "2024-06-15T08:30|142|97|0")
    }

    /// A D40 glucose record with code number 0 keeps the key the `glucose` layout gave it, so
    /// readings stored before the D40 layout are not stored again.
    @Test func aD40GlucoseRecordWithCodeZeroKeepsItsOldKey() throws {
        let d40 = try Self.record(model: (0x61, 0x32), value: (0x78, 0, 0, 0x40), models: Self.shipped("taidoc/fora-2in1").taidocModelTable)
        let old = try Self.record(model: (0x61, 0x32), value: (0x78, 0, 0, 0x40), models: TaiDocModels(["3261": [.glucose, .bloodPressure]]))
        #expect(d40.recordKey == old.recordKey)
        #expect(try d40.readings(profileID: "p", serial: "S", model: "m").get().map(\.flags) == [[.beforeMeal]])
    }

    /// The TD-42xx glucose layout is unchanged: a non-zero analyte code is still a problem.
    @Test func aTD42xxGlucoseRecordWithAnAnalyteCodeIsStillAProblem() throws {
        let r = try Self.record(model: (0x77, 0x42), value: (142, 0, 0, 0x80 | 23), models: .glucoseMeters)
        #expect(r.readings(profileID: "taidoc-td4277", serial: "S", model: "TD-4277") == .failure(.unsupportedAnalyte(5)))
    }

    @Test func theLayoutIsNamedInProfiles() throws {
        #expect(try Self.shipped("taidoc/fora-2in1").taidocModelTable == TaiDocModels(["3261": [.glucoseCodeNumber, .bloodPressure]]))
    }
}
