import Demo
import Emulators
@testable import Daemon
import PocGateCore
import Testing

@Suite struct TD4277ProtocolTests {
    @Test func dateWordEncodesTheVectors() {
        #expect(TD4277Responder.dateTimePayload(LocalDateTime(year: 2018, month: 1, day: 1, hour: 21, minute: 14)) == [0x21, 0x24, 0x0E, 0x15])
        #expect(TD4277Responder.dateTimePayload(LocalDateTime(year: 2019, month: 1, day: 1, hour: 21, minute: 14)) == [0x21, 0x26, 0x0E, 0x15])
        #expect(TD4277Responder.dateTimePayload(LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)) == [0xCF, 0x30, 0x1E, 0x08])
    }

    @Test func serialPayloadsAcceptEitherCase() {
        let upper = TD4277Responder.serialPayloads("2204A1B2C3D4E5F6")
        #expect(upper?.high == [0xB2, 0xA1, 0x04, 0x22])
        #expect(upper?.low == [0xF6, 0xE5, 0xD4, 0xC3])
        #expect(TD4277Responder.serialPayloads("2204a1b2c3d4e5f6")?.high == upper?.high)
        #expect(TD4277Responder.serialPayloads("2204A1B2C3D4E5FG") == nil)
        #expect(TD4277Responder.serialPayloads("2204A1B2") == nil)
    }

    @Test func sampleMemoryIsDeterministicAndPlausible() throws {
        let newest = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 42)
        let memory = EmulatedTD4277.sampleMemory(count: 40, newest: newest)
        #expect(memory == EmulatedTD4277.sampleMemory(count: 40, newest: newest))
        #expect(memory.count == 40)
        #expect(memory.first?.time == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        for record in memory {
            #expect((60...300).contains(record.valueMgdL))
            #expect([EmulatedRecord.noMealMark, EmulatedRecord.beforeMeal, EmulatedRecord.afterMeal].contains(record.flags))
            #expect(record.time.second == 0)
        }
        for (newer, older) in zip(memory, memory.dropFirst()) {
            let gap = newer.time.secondsSinceEpoch - older.time.secondsSinceEpoch
            #expect((150 * 60...330 * 60).contains(gap))
        }
        #expect(Set(memory.map(\.flags)).count == 3)
        #expect(Set(memory.map(\.valueMgdL)).count > 20)
        #expect(EmulatedTD4277.sampleMemory(count: 0, newest: newest).isEmpty)
        // The memory is what the meter will serve.
        _ = try EmulatedTD4277(serial: "2204A1B2C3D4E5F6", records: memory, clock: newest)
    }
}
