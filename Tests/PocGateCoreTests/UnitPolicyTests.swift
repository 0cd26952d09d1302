import PocGateCore
import Testing

@Suite("Units: what the center receives")
struct UnitPolicyTests {
    func glucose(_ value: String, _ unit: String, flags: [ReadingFlag] = []) -> Reading {
        Reading(profileID: "p", deviceSerial: "S", deviceModel: "M", recordKey: "k", kind: .glucose,
                code: ObservationKind.glucose.loincCode(unit: unit)!, value: ExactDecimal(parsing: value)!, unit: unit,
                deviceTime: LocalDateTime(year: 2024, month: 6, day: 15), flags: flags, raw: [])
    }

    @Test("an mg/dL glucose is never sent as mmol/L (18× error): the value is converted and the LOINC code follows the unit")
    func massNeverLabelledMolar() {
        for mgdL in 20...600 {
            let sent = UnitPolicy.chinaDefault.quantity(for: glucose(String(mgdL), "mg/dL"))
            #expect(sent.unit == "mmol/L" && sent.code == "14743-9" && sent.converted)
            #expect(sent.value.mantissa < Int64(mgdL), "\(mgdL) mg/dL sent as \(sent.value) mmol/L")
        }
    }

    @Test("with 'as-reported' the device's unit and value go out unchanged, under the LOINC code of that unit")
    func asReported() {
        let sent = UnitPolicy.asReported.quantity(for: glucose("120", "mg/dL"))
        #expect(sent == UploadQuantity(value: ExactDecimal(120), unit: "mg/dL", code: "41653-7",
                                       display: "Glucose [Mass/volume] in Capillary blood by Glucometer", converted: false))
    }

    @Test("a stored reading whose code disagrees with its unit is sent with the code of the unit actually sent")
    func codeFollowsUnit() {
        var reading = glucose("6.7", "mmol/L")
        reading.code = "41653-7"
        #expect(UnitPolicy.chinaDefault.quantity(for: reading).code == "14743-9")
    }
}
