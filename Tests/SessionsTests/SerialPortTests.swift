import Daemon
import Tools
import Emulators
import DeviceProfiles
import FrameParsing
import Glibc
import Sessions
import Transports
import Testing

@Suite struct SerialPortTests {
    static let line = LineSettings(baud: 19200)

    @Test func bytesFlowBothWays() throws {
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.line.tty)
        try port.write([0x51, 0x22], timeoutMillis: 500)
        #expect(pty.read(waitingMillis: 200) == [0x51, 0x22])
        pty.write([1, 2, 3])
        var buf = [UInt8](repeating: 0, count: 16)
        let n = try buf.withUnsafeMutableBytes { try port.read(into: $0, timeoutMillis: 1000) }
        #expect(Array(buf[0..<n]) == [1, 2, 3])
    }

    /// A port reopened at the parity it already has opens: some pseudo-terminal drivers
    /// refuse to set parity over parity, and a probe followed by a session reopens the line
    /// at the same odd-parity settings (GlucoMen areo, 9600 8O1).
    @Test func aPortReopenedAtTheSameParityOpens() throws {
        let pty = try PTYPair()
        let odd = TTYSettings(baud: 9600, parity: .odd)
        for settings in [TTYSettings(baud: 38400), odd, odd, TTYSettings(baud: 19200, parity: .even), odd] {
            let port = try SerialPort(path: pty.slavePath, line: settings)
            port.close()
        }
    }

    @Test func readTimesOutWithZero() throws {
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.line.tty)
        var buf = [UInt8](repeating: 0, count: 16)
        let n = try buf.withUnsafeMutableBytes { try port.read(into: $0, timeoutMillis: 50) }
        #expect(n == 0)
    }

    @Test func masterGoneIsUnplugged() throws {
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.line.tty)
        pty.releaseSlave()
        pty.closeMaster()
        var buf = [UInt8](repeating: 0, count: 16)
        #expect(throws: LinkError.unplugged(errno: EIO)) {
            _ = try buf.withUnsafeMutableBytes { try port.read(into: $0, timeoutMillis: 1000) }
        }
    }

    @Test func missingNodeIsAClearError() {
        #expect {
            _ = try SerialPort(path: "/dev/does-not-exist-pocgate", line: Self.line.tty)
        } throws: { error in
            guard case let .openFailed(path, e) = error as? LinkError else { return false }
            return path == "/dev/does-not-exist-pocgate" && e == ENOENT && "\(error)".contains("cannot open")
        }
    }

    /// The gateway never sends a command that changes the meter: the read-only transport
    /// refuses clear-memory and set-clock frames, and not one byte reaches the device.
    @Test func forbiddenFramesNeverLeaveThePort() throws {
        let pty = try PTYPair()
        let port = ReadOnlyLink(try SerialPort(path: pty.slavePath, line: Self.line.tty), mayTransmit: TaiDocCommand.mayTransmit)
        let clearMemory = Hex.parse("51 52 00 00 00 00 A3 46")!
        let setClock = TaiDocFrame(command: 0x33, payload: (0xCF, 0x30, 0x1E, 0x08), direction: .hostToMeter).bytes
        for frame in [clearMemory, setClock, [0x52], clearMemory + clearMemory] {
            #expect(throws: LinkError.self) { try port.write(frame, timeoutMillis: 200) }
        }
        #expect(pty.read(waitingMillis: 200).isEmpty)
        try port.write(TaiDocFrame.request(.connect).bytes, timeoutMillis: 200)
        #expect(pty.read(waitingMillis: 200) == TaiDocFrame.request(.connect).bytes)
    }
}
