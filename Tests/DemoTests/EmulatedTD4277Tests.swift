import Demo
import Emulators
import Daemon
import Glibc
import PocGateCore
import Testing

@Suite struct EmulatedTD4277Tests {
    static let serial = "2204A1B2C3D4E5F6"
    static let records = [
        EmulatedRecord(time: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30), valueMgdL: 120, flags: EmulatedRecord.beforeMeal),
        EmulatedRecord(time: LocalDateTime(year: 2024, month: 6, day: 14, hour: 19, minute: 5), valueMgdL: 256, flags: EmulatedRecord.afterMeal),
        EmulatedRecord(time: LocalDateTime(year: 2019, month: 8, day: 4, hour: 13, minute: 37), valueMgdL: 88),
    ]
    static let clock = LocalDateTime(year: 2019, month: 8, day: 4, hour: 13, minute: 37)

    /// Runs `body` against a started emulator and stops it afterwards.
    func withMeter(records: [EmulatedRecord] = records, _ body: (EmulatedTD4277, borrowing SlaveLine) throws -> Void) throws {
        let meter = try EmulatedTD4277(serial: Self.serial, records: records, clock: Self.clock)
        meter.start()
        defer { meter.stop() }
        let line = try SlaveLine(path: meter.slavePath)
        try body(meter, line)
    }

    @Test func wakeIsEchoed() throws {
        try withMeter { meter, line in
            let reply = try line.exchange([0x51, 0x22, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x16])
            #expect(isReply(reply, to: 0x22))
            #expect(meter.counters.framesAnswered == 1)
        }
    }

    @Test func recordZeroValueMatchesTheVector() throws {
        try withMeter { _, line in
            // 120 mg/dL before meal: the reply vector from taidoc.md.
            #expect(try line.exchange([0x51, 0x26, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x1A]) == [0x51, 0x26, 0x78, 0x00, 0x00, 0x40, 0xA5, 0xD4])
            let second = try line.exchange(hostFrame(0x26, [0x01, 0, 0, 0]))
            #expect(isReply(second, to: 0x26))
            #expect(Array(second[2...5]) == [0x00, 0x01, 0x00, 0x80])
        }
    }

    @Test func recordTimesUseTheDateWord() throws {
        try withMeter { _, line in
            let newest = try line.exchange([0x51, 0x25, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x19])
            #expect(newest.dropLast() == [0x51, 0x25, 0xCF, 0x30, 0x1E, 0x08, 0xA5])
            #expect(isReply(newest, to: 0x25))
            let oldest = try line.exchange([0x51, 0x25, 0x02, 0x00, 0x00, 0x00, 0xA3, 0x1B])
            #expect(oldest == [0x51, 0x25, 0x04, 0x27, 0x25, 0x0D, 0xA5, 0x78])
        }
    }

    @Test func recordCountAndOutOfRangeIndex() throws {
        try withMeter { meter, line in
            let count = try line.exchange([0x51, 0x2B, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x1F])
            #expect(isReply(count, to: 0x2B))
            #expect(Array(count[2...3]) == [3, 0])
            // Index 3 does not exist: no answer, and the next frame is still served.
            try line.write(hostFrame(0x26, [0x03, 0, 0, 0]))
            #expect(isReply(try line.exchange(hostFrame(0x22)), to: 0x22))
            #expect(meter.counters.unansweredFrames == 1)
        }
    }

    @Test func emptyMemoryCountsZero() throws {
        try withMeter(records: []) { _, line in
            let count = try line.exchange(hostFrame(0x2B))
            #expect(Array(count[2...5]) == [0, 0, 0xFF, 0xFF])
        }
    }

    @Test func clockMatchesTheVector() throws {
        try withMeter { _, line in
            let clock = try line.exchange([0x51, 0x23, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x17])
            #expect(clock == [0x51, 0x23, 0x04, 0x27, 0x25, 0x0D, 0xA5, 0x76])
        }
    }

    @Test func modelIs4277() throws {
        try withMeter { _, line in
            let reply = try line.exchange([0x51, 0x24, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x18])
            #expect(isReply(reply, to: 0x24))
            #expect(String(reply[3], radix: 16) + String(reply[2], radix: 16) == "4277")
        }
    }

    @Test func serialRebuildsFromReversedHalves() throws {
        try withMeter { _, line in
            let high = try line.exchange([0x51, 0x28, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x1C])
            let low = try line.exchange([0x51, 0x27, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x1B])
            #expect(isReply(high, to: 0x28) && isReply(low, to: 0x27))
            let hex = { (bytes: ArraySlice<UInt8>) in
                bytes.reversed().map { String($0, radix: 16, uppercase: true).leftPadded(2) }.joined()
            }
            #expect(hex(high[2...5]) + hex(low[2...5]) == Self.serial)
        }
    }

    @Test func garbageAndBadChecksumsAreSkipped() throws {
        try withMeter { meter, line in
            try line.write([0x00, 0xFF, 0x51, 0x13, 0xA3])
            try line.write([0x51, 0x22, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x17]) // checksum off by one
            #expect(isReply(try line.exchange(hostFrame(0x24)), to: 0x24))
            let counters = meter.counters
            #expect(counters.framesAnswered == 1)
            // 00 FF, then a false start (51 13 A3…: wrong direction byte), 13 A3, then the
            // frame with the bad checksum and its 7 trailing bytes.
            #expect(counters.badFramesIgnored == 2)
            #expect(counters.garbageBytesSkipped == 11)
        }
    }

    @Test func clearMemoryAndSetClockAreNeverHonoured() throws {
        try withMeter { meter, line in
            try line.write([0x51, 0x52, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x46])
            try line.write(hostFrame(0x33, [0xCF, 0x30, 0x1E, 0x08]))
            // The next reply is to the wake frame: neither write command was answered.
            #expect(isReply(try line.exchange(hostFrame(0x22)), to: 0x22))
            #expect(meter.counters.violations == 2)
            // Memory and clock are unchanged.
            let count = try line.exchange(hostFrame(0x2B))
            #expect(Array(count[2...3]) == [3, 0])
            let clock = try line.exchange(hostFrame(0x23))
            #expect(Array(clock[2...5]) == [0x04, 0x27, 0x25, 0x0D])
        }
    }

    @Test func powerOffIsEchoedAndTheMeterWakesAgain() throws {
        try withMeter { _, line in
            let off = try line.exchange([0x51, 0x50, 0x00, 0x00, 0x00, 0x00, 0xA3, 0x44])
            #expect(off == [0x51, 0x50, 0, 0, 0, 0, 0xA5, 0x46])
            let wake = try line.exchange(hostFrame(0x22))
            #expect(isReply(wake, to: 0x22))
        }
    }

    @Test func hostMayCloseAndReopenTheLine() throws {
        let meter = try EmulatedTD4277(serial: Self.serial, records: Self.records, clock: Self.clock)
        meter.start()
        defer { meter.stop() }
        for _ in 0..<3 {
            let line = try SlaveLine(path: meter.slavePath)
            #expect(isReply(try line.exchange(hostFrame(0x22)), to: 0x22))
        }
        usleep(200_000)
        let line = try SlaveLine(path: meter.slavePath)
        #expect(isReply(try line.exchange(hostFrame(0x24)), to: 0x24))
        #expect(meter.counters.framesAnswered == 4)
    }

    @Test func slaveIsRaw() throws {
        try withMeter { _, line in
            var t = termios()
            #expect(tcgetattr(line.fd, &t) == 0)
            #expect(t.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
            #expect(t.c_oflag & tcflag_t(OPOST) == 0)
            #expect(t.c_iflag & tcflag_t(ICRNL | IXON) == 0)
            // 0x0D and 0x11 (XON) must pass unchanged: they occur in replies and requests.
            let reply = try line.exchange(hostFrame(0x25, [0x02, 0, 0, 0]))
            #expect(isReply(reply, to: 0x25))
        }
    }

    @Test func stopHangsUpTheLine() throws {
        let meter = try EmulatedTD4277(serial: Self.serial, records: [], clock: Self.clock)
        meter.start()
        let line = try SlaveLine(path: meter.slavePath)
        meter.stop()
        meter.stop()
        var byte: UInt8 = 0
        #expect(read(line.fd, &byte, 1) <= 0)
    }

    @Test func safeSessionReadsTheWholeSampleMemory() throws {
        let memory = EmulatedTD4277.sampleMemory(count: 25, newest: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        try withMeter(records: memory) { meter, line in
            for command: UInt8 in [0x22, 0x24, 0x28, 0x27, 0x23] {
                let reply = try line.exchange(hostFrame(command))
                #expect(isReply(reply, to: command))
            }
            let count = try line.exchange(hostFrame(0x2B))
            let total = Int(count[2]) | Int(count[3]) << 8
            #expect(total == memory.count)
            var read: [EmulatedRecord] = []
            for index in 0..<total {
                let le: [UInt8] = [UInt8(index & 0xFF), UInt8(index >> 8), 0, 0]
                let time = try line.exchange(hostFrame(0x25, le))
                let value = try line.exchange(hostFrame(0x26, le))
                let word = Int(time[2]) | Int(time[3]) << 8
                let stamp = LocalDateTime(year: 2000 + word >> 9, month: word >> 5 & 0x0F, day: word & 0x1F,
                                          hour: Int(time[5] & 0x1F), minute: Int(time[4] & 0x3F))
                read.append(EmulatedRecord(time: stamp, valueMgdL: Int(value[2]) | Int(value[3]) << 8, flags: value[5]))
            }
            #expect(read == memory)
            #expect(meter.counters == {
                var expected = EmulatorCounters()
                expected.framesAnswered = 6 + 2 * memory.count
                return expected
            }())
        }
    }

    @Test func rejectsWhatTheMeterCannotHold() {
        #expect(throws: EmulatorError.invalidSerial("12345")) {
            try EmulatedTD4277(serial: "12345", records: [], clock: Self.clock)
        }
        #expect(throws: EmulatorError.self) {
            try EmulatedTD4277(serial: Self.serial, records: [EmulatedRecord(time: LocalDateTime(year: 1999, month: 1, day: 1), valueMgdL: 100)], clock: Self.clock)
        }
        #expect(throws: EmulatorError.self) {
            try EmulatedTD4277(serial: Self.serial, records: [EmulatedRecord(time: Self.clock, valueMgdL: 70_000)], clock: Self.clock)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
