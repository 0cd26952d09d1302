import Foundation
import Glibc
import Testing
import Transports

@Suite struct HIDRawLinkTests {
    static func scratch() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-hidraw-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Risk: a device node replaced by a link to a file (or a file) read or written as the
    /// device. A link leading out of /dev and a regular file are refused; nothing is opened.
    @Test func refusesALinkOutOfDevAndAPlainFile() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/report.bin"
        _ = FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3]))
        let link = dir + "/hidraw0"
        #expect(symlink(file, link) == 0)
        #expect(throws: LinkError.notADevice(path: link, found: "a symbolic link to \(file), outside /dev")) {
            _ = try HIDRawLink(path: link)
        }
        #expect(throws: LinkError.notADevice(path: file, found: "not a character device")) {
            _ = try HIDRawLink(path: file)
        }
    }

    /// One read returns what one write of the device side delivered (a pseudo-terminal stands
    /// in for the node); a missing node is an open failure a technician can act on.
    @Test func readsOneMessageAndReportsAMissingNode() throws {
        let pty = try PTYPair()
        let link = try HIDRawLink(path: pty.slavePath)
        defer { link.close() }
        #expect(link.delivery == .messages(maximumLength: 64))
        let report: [UInt8] = [0x03, 0x51, 0x24, 0x77]
        #expect(report.withUnsafeBytes { Glibc.write(pty.master, $0.baseAddress, 4) } == 4)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 2000) }
        #expect(Array(buffer.prefix(n)) == report)
        #expect(try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 0) } == 0)
        #expect(throws: LinkError.openFailed(path: "/dev/hidraw-missing", errno: ENOENT)) {
            _ = try HIDRawLink(path: "/dev/hidraw-missing")
        }
    }
}
