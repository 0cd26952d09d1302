import PocGateCore
import Testing

@Suite("Resident ID (GB 11643, ISO 7064 MOD 11-2)")
struct ResidentIDTests {
    let today = LocalDateTime(year: 2024, month: 6, day: 15)

    @Test("the constructed sample validates; a changed check digit, digit or birth date fails with the reason")
    func checks() {
        #expect(ResidentID.problem(in: "110101190001010014", today: today) == nil)
        #expect(ResidentID.problem(in: "110101190001010013", today: today) == .checkCharacterMismatch)
        #expect(ResidentID.problem(in: "110101190001010024", today: today) == .checkCharacterMismatch)
        #expect(ResidentID.problem(in: "11010119000101001", today: today) == .wrongLength(17))
        #expect(ResidentID.problem(in: "1101011900010100A4", today: today) == .badCharacter(position: 17))
        #expect(ResidentID.problem(in: "110101190002300014", today: today) == .impossibleBirthDate)
        #expect(ResidentID.problem(in: "110101189912310014", today: today) == .implausibleBirthDate)
        #expect(ResidentID.problem(in: "110101202501010014", today: today) == .implausibleBirthDate)
    }

    @Test("check character X (remainder 2) and lower-case x are accepted")
    func checkCharacterX() {
        // Find a sequence whose check character is X and verify both cases.
        let base = "1101011990010100"
        let id = (0...9).lazy.map { base + String($0) }.first {
            ResidentID.checkCharacter(forFirst17: $0.map { $0.wholeNumberValue! }) == "X"
        }!
        #expect(ResidentID.isValid(id + "X", today: today))
        #expect(ResidentID.isValid(id + "x", today: today))
        #expect(ResidentID.normalized(id + "x") == id + "X")
    }

    @Test("masking keeps the first 4 and last 2 characters only")
    func masking() {
        #expect(ResidentID.masked("110101190001010014") == "1101************14")
        #expect(ResidentID.masked("12345") == "*****")
    }
}
