import PocGateCore
import Testing

@Suite("Units: exact analyte conversion")
struct AnalyteConversionTests {
    /// mg/dL × 10 / 180.16 = mg/dL × 10000 / 18016 tenths of mmol/L, half-even, by plain integers.
    static func expectedTenths(mgdL: Int64) -> Int64 {
        let numerator = mgdL * 10_000
        let (q, r) = numerator.quotientAndRemainder(dividingBy: 18_016)
        if 2 * r > 18_016 || (2 * r == 18_016 && q % 2 == 1) { return q + 1 }
        return q
    }

    @Test("every mg/dL glucose 20…600 converts to mmol/L exactly as mg/dL × 10 / 180.16, half-even to 1 decimal")
    func glucoseFollowsTheRationalFormula() throws {
        for mgdL in Int64(20)...600 {
            let got = try #require(AnalyteConversion.glucose.convert(ExactDecimal(mantissa: mgdL), from: "mg/dL", to: "mmol/L"))
            #expect(got == ExactDecimal(mantissa: Self.expectedTenths(mgdL: mgdL), scale: 1), "\(mgdL) mg/dL")
        }
        #expect(AnalyteConversion.glucose.convert(ExactDecimal(120), from: "mg/dL", to: "mmol/L")?.description == "6.7")
        #expect(AnalyteConversion.glucose.convert(ExactDecimal(100), from: "mg/dL", to: "mmol/L")?.description == "5.6")
    }

    @Test("a displayed mmol/L glucose is within half a display step of the exact value and converts back within 1 mg/dL")
    func glucoseRoundTripBounds() throws {
        for mgdL in Int64(20)...600 {
            let mmol = try #require(AnalyteConversion.glucose.convert(ExactDecimal(mantissa: mgdL), from: "mg/dL", to: "mmol/L"))
            // |tenths × 18016 − mg/dL × 10000| ≤ 18016 / 2: at most 0.05 mmol/L from the exact quotient.
            #expect(abs(mmol.mantissa * 18_016 - mgdL * 10_000) <= 9_008, "\(mgdL) mg/dL → \(mmol)")
            let back = try #require(AnalyteConversion.glucose.convert(mmol, from: "mmol/L", to: "mg/dL"))
            #expect(back.scale == 0 && abs(back.mantissa - mgdL) <= 1, "\(mgdL) → \(mmol) → \(back)")
        }
    }

    @Test("half-even rounding sends a tie to the even digit, so rounding does not bias values upwards")
    func halfEvenTies() {
        func round(_ text: String) -> String? {
            ExactDecimal(parsing: text)?.scaled(by: 1, over: 1, toScale: 1, rounding: .halfEven)?.description
        }
        #expect(round("0.25") == "0.2")
        #expect(round("0.35") == "0.4")
        #expect(round("0.251") == "0.3")
        #expect(round("-0.25") == "-0.2")
        #expect(round("-0.35") == "-0.4")
        #expect(round("7.05") == "7.0")
    }

    @Test("the bound of a HI/LO result is rounded outwards, so '> bound' and '< bound' stay true after conversion")
    func boundsRoundOutwards() {
        let glucose = AnalyteConversion.glucose
        // 600 / 18.016 = 33.30…: "> 33.3" is still true; 20 / 18.016 = 1.110…: "< 1.2" is true, "< 1.1" would not be.
        #expect(glucose.convert(ExactDecimal(600), from: "mg/dL", to: "mmol/L", rounding: .floor)?.description == "33.3")
        #expect(glucose.convert(ExactDecimal(20), from: "mg/dL", to: "mmol/L", rounding: .ceiling)?.description == "1.2")
        #expect(ExactDecimal(parsing: "-1.11")?.scaled(by: 1, over: 1, toScale: 1, rounding: .floor)?.description == "-1.2")
        #expect(ExactDecimal(parsing: "-1.11")?.scaled(by: 1, over: 1, toScale: 1, rounding: .ceiling)?.description == "-1.1")
    }

    @Test("cholesterol (38.67), triglycerides (88.57) and uric acid (59.48) use their published factors, not glucose's")
    func otherAnalytes() {
        #expect(AnalyteConversion.cholesterol.convert(ExactDecimal(200), from: "mg/dL", to: "mmol/L")?.description == "5.17")
        #expect(AnalyteConversion.triglycerides.convert(ExactDecimal(150), from: "mg/dL", to: "mmol/L")?.description == "1.69")
        #expect(AnalyteConversion.uricAcid.convert(ExactDecimal(6), from: "mg/dL", to: "umol/L")?.description == "357")
        #expect(AnalyteConversion.uricAcid.convert(ExactDecimal(357), from: "umol/L", to: "mg/dL")?.description == "6.0")
        #expect(AnalyteConversion.cholesterol.convert(ExactDecimal(parsing: "5.17")!, from: "mmol/L", to: "mg/dL")?.description == "200")
    }

    @Test("a value already in the wanted unit is passed on unrounded, and an unknown unit is never guessed")
    func noSilentChanges() {
        let value = ExactDecimal(parsing: "5.65")!
        #expect(AnalyteConversion.glucose.convert(value, from: "mmol/L", to: "mmol/L") == value)
        #expect(AnalyteConversion.glucose.convert(value, from: "mg/L", to: "mmol/L") == nil)
        #expect(AnalyteConversion.glucose.convert(value, from: "mmol/L", to: "umol/L") == nil)
        #expect(ExactDecimal(mantissa: .max).scaled(by: 1000, over: 1, toScale: 0, rounding: .halfEven) == nil)
    }

    @Test("every analyte has a LOINC code for both its mass and its molar unit")
    func everyUnitIsCoded() {
        for kind in ObservationKind.allCases {
            for unit in UnitPolicy.allowedUnits(for: kind) {
                #expect(kind.loincCode(unit: unit) != nil && kind.loincDisplay(unit: unit) != nil, "\(kind) \(unit)")
            }
        }
    }
}
