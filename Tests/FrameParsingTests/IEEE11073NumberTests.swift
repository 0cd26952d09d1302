import Testing
import FrameParsing
import PocGateCore

/// SFLOAT, FLOAT and absolute time: exact decoding and the special values.
@Suite struct IEEE11073NumberTests {
    static func d(_ s: String) -> IEEE11073Number { .value(ExactDecimal(parsing: s)!) }

    @Test func sfloatWorkedValuesDecodeExactly() {
        #expect(IEEE11073Number.sfloat(0x0078) == Self.d("120"))          // 120 mmHg
        #expect(IEEE11073Number.sfloat(0xF16D) == Self.d("36.5"))         // 365 × 10⁻¹
        #expect(IEEE11073Number.sfloat(0xF038) == Self.d("5.6"))          // 56 × 10⁻¹
        #expect(IEEE11073Number.sfloat(0x0FFB) == Self.d("-5"))           // mantissa −5
        #expect(IEEE11073Number.sfloat(0xD001) == Self.d("0.001"))        // 1 × 10⁻³
        #expect(IEEE11073Number.sfloat(0xB064) == Self.d("0.00100"))      // 100 × 10⁻⁵: same value, other digits
        #expect(IEEE11073Number.sfloat(0xB064).exact!.doubleValue == IEEE11073Number.sfloat(0xD001).exact!.doubleValue)
        #expect(IEEE11073Number.sfloat(0x2003) == Self.d("300"))          // 3 × 10²
        #expect(IEEE11073Number.sfloat(0x7001) == Self.d("10000000"))     // 1 × 10⁷
        #expect(IEEE11073Number.sfloat(0x8001) == Self.d("0.00000001"))   // 1 × 10⁻⁸
        #expect(IEEE11073Number.sfloat(0x07FD) == Self.d("2045"))         // largest plain mantissa below the specials
        #expect(IEEE11073Number.sfloat(0x0803) == Self.d("-2045"))
        #expect(IEEE11073Number.sfloat(0xF800) != Self.d("-2048"))         // 0x800 is NRes at any exponent
    }

    @Test func sfloatSpecialValuesAreNotReadings() {
        #expect(IEEE11073Number.sfloat(0x07FF) == .notANumber)            // not 2047
        #expect(IEEE11073Number.sfloat(0x0800) == .notAtThisResolution)
        #expect(IEEE11073Number.sfloat(0x07FE) == .positiveInfinity)
        #expect(IEEE11073Number.sfloat(0x0802) == .negativeInfinity)
        #expect(IEEE11073Number.sfloat(0x0801) == .reserved)
        #expect(IEEE11073Number.sfloat(0xF7FF) == .notANumber)            // the exponent does not matter
        for raw: UInt16 in [0x07FF, 0x0800, 0x07FE, 0x0802, 0x0801] { #expect(IEEE11073Number.sfloat(raw).exact == nil) }
    }

    @Test func floatDecodesExactlyWithSpecials() {
        #expect(IEEE11073Number.float(0xFF00_0038) == Self.d("5.6"))
        #expect(IEEE11073Number.float(0xFE00_02D5) == Self.d("7.25"))
        #expect(IEEE11073Number.float(0x0000_0078) == Self.d("120"))
        #expect(IEEE11073Number.float(0xFDFF_FF9C) == Self.d("-0.100"))   // −100 × 10⁻³
        #expect(IEEE11073Number.float(0x0200_0007) == Self.d("700"))
        #expect(IEEE11073Number.float(0x007F_FFFF) == .notANumber)
        #expect(IEEE11073Number.float(0x0080_0000) == .notAtThisResolution)
        #expect(IEEE11073Number.float(0x007F_FFFE) == .positiveInfinity)
        #expect(IEEE11073Number.float(0x0080_0002) == .negativeInfinity)
        #expect(IEEE11073Number.float(0x0080_0001) == .reserved)
        // Exponents beyond exact storage are refused, never rounded.
        if case .outOfRange = IEEE11073Number.float(0x8000_0001) {} else { Issue.record("10^-128 must be out of range") }
        if case .outOfRange = IEEE11073Number.float(0x7F00_0001) {} else { Issue.record("10^127 must be out of range") }
        #expect(IEEE11073Number.float(0xEE00_0001) == Self.d("0.000000000000000001"))  // 10⁻¹⁸ still fits
    }

    @Test func agentEncodersRoundTrip() {
        for (m, e) in [(0, 0), (56, -1), (-5, 0), (2045, 7), (-2045, -8), (1, 3)] {
            let b = IEEE11073AgentAPDUs.sfloat(mantissa: m, exponent: e)
            #expect(IEEE11073Number.sfloat(UInt16(b[0]) << 8 | UInt16(b[1])).exact == ExactDecimal(mantissa: Int64(m), scale: 0).scaledBy(exponent: e))
        }
    }

    @Test func absoluteTimeIsBCD() {
        let t = IEEE11073Time(bcd: [0x20, 0x10, 0x07, 0x21, 0x15, 0x35, 0x53, 0x00])
        #expect(t?.dateTime == LocalDateTime(year: 2010, month: 7, day: 21, hour: 15, minute: 35, second: 53))
        #expect(t?.description == "2010-07-21T15:35:53.00")
        #expect(IEEE11073Time(bcd: [0x20, 0x24, 0x02, 0x29, 0x23, 0x59, 0x59, 0x99])?.hundredths == 99)   // leap day
        #expect(IEEE11073Time(bcd: [0x20, 0x23, 0x02, 0x29, 0x00, 0x00, 0x00, 0x00]) == nil)            // not a leap year
        #expect(IEEE11073Time(bcd: [0x20, 0x1A, 0x07, 0x21, 0x15, 0x35, 0x53, 0x00]) == nil)            // not BCD
        #expect(IEEE11073Time(bcd: [0x20, 0x10, 0x13, 0x21, 0x15, 0x35, 0x53, 0x00]) == nil)            // month 13
        #expect(IEEE11073Time(bcd: [0x20, 0x10, 0x07, 0x21, 0x24, 0x00, 0x00, 0x00]) == nil)            // hour 24
        #expect(IEEE11073Time(bcd: [0, 0, 0, 0, 0, 0, 0, 0]) == nil)                                     // unset clock
        #expect(IEEE11073Time(bcd: [0x20, 0x10, 0x07]) == nil)
        #expect(IEEE11073AgentAPDUs.time(LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 5), hundredths: 7)
                == [0x20, 0x24, 0x06, 0x15, 0x08, 0x30, 0x05, 0x07])
    }
}

extension ExactDecimal {
    /// self × 10^exponent, exactly (test helper).
    func scaledBy(exponent: Int) -> ExactDecimal {
        if exponent < 0 { return ExactDecimal(mantissa: mantissa, scale: UInt8(-exponent)) }
        var m = mantissa
        for _ in 0..<exponent { m *= 10 }
        return ExactDecimal(mantissa: m, scale: 0)
    }
}
