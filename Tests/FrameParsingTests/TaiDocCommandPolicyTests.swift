import Testing
import FrameParsing

/// The gateway never sends a command that changes the meter.
@Suite struct TaiDocCommandPolicyTests {
    @Test func clearMemoryAndSetClockCanNeverBeTransmitted() {
        #expect(!TaiDocCommand.mayTransmit(Hex.parse("51 52 00 00 00 00 A3 46")!))   // clear memory
        #expect(!TaiDocCommand.mayTransmit(TaiDocFrame(command: 0x33, payload: (0xCF, 0x30, 0x1E, 0x08), direction: .hostToMeter).bytes))
    }

    @Test func onlyReadCommandsPassForEveryCommandByte() {
        let allowed: Set<UInt8> = [0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2B, 0x50]
        for c in UInt8.min...UInt8.max {
            let frame = TaiDocFrame(command: c, payload: (1, 2, 3, 4), direction: .hostToMeter).bytes
            #expect(TaiDocCommand.mayTransmit(frame) == allowed.contains(c), "command 0x\(Hex.byte(c))")
        }
    }

    @Test func malformedOrForeignBytesAreRefused() {
        var bad = TaiDocFrame.request(.connect).bytes
        bad[7] &+= 1
        #expect(!TaiDocCommand.mayTransmit(bad))
        #expect(!TaiDocCommand.mayTransmit([0x51, 0x22]))
        #expect(!TaiDocCommand.mayTransmit(TaiDocFrame(command: 0x22, direction: .meterToHost).bytes))
        #expect(!TaiDocCommand.mayTransmit(TaiDocFrame.request(.connect).bytes + [0x00]))
    }
}
