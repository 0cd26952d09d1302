import Testing
import PocGateCore

@Suite struct ExactDecimalTests {
    @Test(arguments: ["120", "5.6", "0.05", "-3.25", "0", "7.10"])
    func roundTripsItsText(_ text: String) throws {
        let value = try #require(ExactDecimal(parsing: text))
        #expect(value.description == text)
    }

    @Test(arguments: ["", ".", "1.2.3", "abc", "--1", "1e5", "99999999999999999999"])
    func rejectsNonDecimals(_ text: String) {
        #expect(ExactDecimal(parsing: text) == nil)
    }

    @Test func keepsScale() {
        #expect(ExactDecimal(mantissa: 56, scale: 1).description == "5.6")
        #expect(ExactDecimal(mantissa: 5, scale: 2).description == "0.05")
    }
}
