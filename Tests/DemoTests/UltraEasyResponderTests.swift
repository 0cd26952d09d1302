import Emulators
import PocGateCore
import Testing

/// The emulated OneTouch UltraMini against the published byte vectors (glucometerutils' tests)
/// and frames whose CRC-16/CCITT-FALSE was computed with crcmod 1.7 (`crc-ccitt-false`), not
/// with pocgate's code.
@Suite struct UltraEasyResponderTests {
    static func hex(_ s: String) -> [UInt8] { s.split(separator: " ").map { UInt8($0, radix: 16)! } }

    static let memory = EmulatedTD4277.sampleMemory(count: 12, newest: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))

    /// Risk: the demo's UltraMini computes its CRC or link bytes differently from a real meter,
    /// so the demo proves nothing about the live session. The published link-opening and
    /// version frames are accepted; the acknowledge is `02 06 0C 03 06 AE`.
    @Test func thePublishedFramesAreAnsweredWithCheckedFrames() {
        var meter = UltraEasyResponder(records: Self.memory, clock: LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        var counters = EmulatorCounters()
        #expect(meter.receive(Self.hex("02 06 08 03 C2 62"), counters: &counters) == Self.hex("02 06 0C 03 06 AE"))
        let version = meter.receive(Self.hex("02 09 03 05 0D 02 03 08 9F"), counters: &counters)
        #expect(Array(version.prefix(6)) == Self.hex("02 06 04 03 AF 27"))
        #expect(Array(version.dropFirst(6).prefix(6)) == [0x02, 0x12, 0x00, 0x05, 0x06, 0x09])
        // The count (record 501) and the newest record, split across two writes.
        #expect(meter.receive(Self.hex("02 0A 03 05 1F F5"), counters: &counters).isEmpty)
        #expect(meter.receive(Self.hex("01 03 D8 64"), counters: &counters) == Self.hex("02 06 04 03 AF 27 02 0A 00 05 0F 0C 00 03 6D FF"))
        let newest = meter.receive(Self.hex("02 0A 01 05 1F 00 00 03 0B D4"), counters: &counters)
        let v = Self.memory[0].valueMgdL
        // 2024-06-15 08:30:00 as seconds since 1970 (Python's datetime): 1718440200 = 66 6D 51 08.
        #expect(Array(newest.dropFirst(6).dropLast(3).dropFirst(3)) == [0x05, 0x06, 0x08, 0x51, 0x6D, 0x66, UInt8(v & 0xFF), UInt8(v >> 8), 0, 0])
        #expect(counters.framesAnswered == 4 && counters.violations == 0 && counters.badFramesIgnored == 0)
    }

    /// Risk: the emulator honours an erase, or answers a frame with a bad CRC.
    @Test func eraseIsAViolationAndABadCRCIsIgnored() {
        var meter = UltraEasyResponder(records: Self.memory, clock: LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        var counters = EmulatorCounters()
        #expect(meter.receive(Self.hex("02 08 01 05 1A 03 E2 C6"), counters: &counters).isEmpty)
        #expect(counters.violations == 1)
        #expect(meter.receive(Self.hex("02 09 03 05 0D 02 03 08 9E"), counters: &counters).isEmpty)
        #expect(counters.badFramesIgnored == 1 && counters.framesAnswered == 0)
    }
}
