import Daemon
import DeviceProfiles
import Foundation
import PocGateCore
import Testing
import Transports
#if canImport(Glibc)
import Glibc
#endif

/// A bound classic Bluetooth serial device (`bt-spp` port): claimed by tty profiles'
/// `match.bluetooth` rules as an RFCOMM tty is, never by other kinds, never opened as a node;
/// its link is a stream socket.
@Suite struct SPPPortTests {
    static let port = PortDescription(devnode: "/org/bluez/hci0/dev_00_12_A1_32_28_01", syspath: "bt-spp:00:12:A1:32:28:01",
                                      bluetooth: BluetoothIdentity(address: "00:12:A1:32:28:01", name: "FORA P30 PLUS"), transport: .btSPP)

    static func profile(_ transport: ProfileTransport) -> DeviceProfile {
        var p = PortLinkTests.profile(transport)
        p.match.bluetooth = [BluetoothMatch(address: "00:12:A1:32:28:01")]
        return p
    }

    @Test func aTTYProfilesBluetoothRuleClaimsABoundSPPDeviceAndNoOtherKindDoes() {
        #expect(Self.profile(.tty).match.score(Self.port) == 3)
        for transport in [ProfileTransport.hid, .cp2110, .bleUART, .bleGATT] {
            #expect(Self.profile(transport).match.score(Self.port) == 0, "\(transport)")
        }
        #expect(PortTransport.tty.claims(.btSPP) && !PortTransport.ble.claims(.btSPP) && !PortTransport.btSPP.claims(.tty))
    }

    /// Risk: a bound device's object path handed to open(2) as if it were a device node.
    @Test func aPortWorkerNeverOpensAnSPPPortAsANode() {
        #expect(throws: LinkError.self) { _ = try PortLink.open(Self.port, profile: Self.profile(.tty)) }
    }

    static func pair() -> (StreamSocketLink, Int32) {
        var fds: [Int32] = [0, 0]
        _ = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
        return (StreamSocketLink(fd: fds[0], name: "test"), fds[1])
    }

    @Test func readsWhatArrivesTimesOutEmptyAndWrites() throws {
        let (link, peer) = Self.pair()
        defer { link.close(); close(peer) }
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 20) } == 0)
        _ = [UInt8]([0x51, 0x24]).withUnsafeBytes { write(peer, $0.baseAddress, 2) }
        #expect(try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 1000) } == 2)
        #expect(buffer.prefix(2) == [0x51, 0x24])
        try link.write([1, 2, 3], timeoutMillis: 1000)
        var got = [UInt8](repeating: 0, count: 3)
        #expect(got.withUnsafeMutableBytes { read(peer, $0.baseAddress, 3) } == 3 && got == [1, 2, 3])
    }

    /// Risk: a device that goes away mid-transfer read as "no answer yet" until the session's
    /// retries run out, or a read that blocks. The end of the stream is an unplug.
    @Test func theRemoteEndClosingIsAnUnplug() {
        let (link, peer) = Self.pair()
        defer { link.close() }
        close(peer)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: LinkError.unplugged(errno: ECONNRESET)) {
            _ = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 1000) }
        }
    }

    /// BlueZ's RequestDisconnection (another thread) ends the reads as an unplug.
    @Test func hangUpEndsReads() {
        let (link, peer) = Self.pair()
        defer { link.close(); close(peer) }
        link.hangUp()
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: LinkError.unplugged(errno: ECONNRESET)) {
            _ = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 1000) }
        }
        link.close()
        link.hangUp()
        #expect(throws: LinkError.unplugged(errno: EBADF)) { try link.write([1], timeoutMillis: 10) }
    }
}
