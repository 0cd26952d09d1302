import Sessions
import DeviceProfiles
import FrameParsing
import Testing

/// `taidoc.models`: which models a TaiDoc/FORA profile reads and the record layouts each sends.
@Suite struct TaiDocModelsProfileTests {
    static func profile(_ protocolName: String = "taidoc-td42xx", taidoc: String) -> String {
        """
        id: t
        version: 1
        name: T
        protocol: \(protocolName)
        match:
          usb:
            - {vendor: 0x067b, product: 0x2303}
        line:
          baud: 19200
        \(taidoc)
        """
    }

    @Test func modelsAndLayoutsParse() throws {
        let p = try DeviceProfile.parse(Self.profile(taidoc: """
            taidoc:
              models:
                - {model: "3261", records: [glucose, blood-pressure]}
                - {model: "1242", records: [thermometer]}
            """), file: "t.yaml", families: .builtIn)
        #expect(p.taidocModelTable == TaiDocModels(["3261": [.glucose, .bloodPressure], "1242": [.thermometer]]))
    }

    /// Without the list a TD-42xx profile reads the TD-42xx glucose meters only, and a TD-32xx
    /// blood-pressure profile no model at all (never a default that would guess a layout).
    @Test func withoutTheListOnlyTheGlucoseMetersOrNothing() throws {
        #expect(try DeviceProfile.parse(Self.profile(taidoc: ""), file: "t", families: .builtIn).taidocModelTable == .glucoseMeters)
        #expect(try DeviceProfile.parse(Self.profile("taidoc-td32xx-bp", taidoc: ""), file: "t", families: .builtIn).taidocModelTable.layouts.isEmpty)
    }

    @Test(arguments: [
        ("taidoc:\n  models:\n    - {model: \"3261\", records: [glucose, pressure]}", "'pressure' is not a record layout"),
        ("taidoc:\n  models:\n    - {model: \"32610\", records: [glucose]}", "must be the 4 digits"),
        ("taidoc:\n  models:\n    - {model: \"3261\", records: [glucose, thermometer]}", "more than one layout besides blood-pressure"),
        ("taidoc:\n  models:\n    - {model: \"3261\", records: [glucose]}\n    - {model: \"3261\", records: [glucose]}", "listed twice"),
        ("taidoc:\n  models: []", "needs at least one model"),
    ])
    func mistakesAreRefusedWithTheirLine(_ taidoc: String, _ message: String) {
        let checked = DeviceProfile.check(Self.profile(taidoc: taidoc), file: "t.yaml", families: .builtIn)
        #expect(checked.profile == nil)
        #expect(checked.errors.first?.description.contains(message) == true, "\(checked.errors)")
    }

    @Test func anotherProtocolCannotListTaiDocModels() {
        let text = Self.profile("onetouch-ultra2", taidoc: "taidoc:\n  models:\n    - {model: \"3261\", records: [glucose]}")
        #expect(DeviceProfile.check(text, file: "t", families: .builtIn).errors.first?.description.contains("only for protocols that read it") == true)
    }
}
