import Foundation
import Testing
import FrameParsing
import TestSupport

/// Cross-checks against what pocgate did not write: the freestyle-hid package (PyPI, the
/// FreeStyle HID implementation glucometerutils uses) and the two Python meter emulators'
/// self-tests (written from the public notes). Skipped where python3 or the package is absent.
@Suite struct HIDMeterOracleTests {
    static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Harness").path

    /// Risk: pocgate's command reports differ from the bytes the reference implementation sends.
    @Test(.enabled(if: PythonCheck.has("freestyle_hid")))
    func freestyleHIDBuildsTheSameReportForEveryCommand() throws {
        let script = """
        import sys
        from freestyle_hid import _session as s
        for arg in sys.argv[1:]:
            kind, text = arg.split(':', 1)
            print(s._FREESTYLE_MESSAGE.build({'message_type': int(kind, 16), 'command': text.encode(), 'mac': 0}).hex())
        """
        let commands = FreeStyleHIDCommand.allCases
        let args = commands.map { c in
            String(c.message.type, radix: 16) + ":" + String(decoding: c.message.payload, as: UTF8.self)
        }
        let (status, output) = try PythonCheck.run(script: script, arguments: args)
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == commands.count)
        for (command, line) in zip(commands, lines) {
            #expect(Hex.string(Array(command.report[1...])).lowercased().replacingOccurrences(of: " ", with: "") == line, "\(command)")
        }
    }

    /// Risk: pocgate accepts a reply the reference rejects, or the other way round.
    @Test(.enabled(if: PythonCheck.has("freestyle_hid")))
    func freestyleHIDAndTheCodecAgreeOnRepliesAndRecordLists() throws {
        let script = """
        import sys
        from freestyle_hid import _session as s
        for arg in sys.argv[1:]:
            data = bytes.fromhex(arg)
            try:
                m = s._TEXT_REPLY_FORMAT.search(data)
                s._verify_checksum(m.group('message'), m.group('checksum'))
                r = s._MULTIRECORDS_FORMAT.search(m.group('message'))
                s._verify_checksum(r.group('message'), r.group('checksum'))
                print('ok', int(r.group('count')))
            except Exception:
                print('refused')
        """
        let good = HIDMeterReports.textReply(HIDMeterReports.recordList(["7,1,6,15,24,8,30,0,120,0", "7,2,6,14,24,8,30,0,99,0"]))
        var badList = good
        badList[10] ^= 0x01
        var badReply = good
        badReply[badReply.count - 14] = UInt8(ascii: "F") == badReply[badReply.count - 14] ? UInt8(ascii: "E") : UInt8(ascii: "F")
        let cases = [good, badList, badReply]
        let (status, output) = try PythonCheck.run(script: script, arguments: cases.map { Hex.string($0).replacingOccurrences(of: " ", with: "") })
        #expect(status == 0, "\(output)")
        let verdicts = output.split(separator: "\n").map(String.init)
        #expect(verdicts == ["ok 2", "refused", "refused"])
        for (bytes, verdict) in zip(cases, verdicts) {
            var reply = FreeStyleTextReply()
            var ours = "refused"
            if case let .ok(message)? = reply.append(bytes), case let .success(records) = FreeStyleRecordList.parse(message) {
                ours = "ok \(records.count)"
            }
            #expect(ours == verdict)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")),
          arguments: ["contour_next_meter.py", "freestyle_hid_meter.py"])
    func theEmulatorsPassTheirSelfTests(_ file: String) throws {
        let script = "import sys, runpy; path = sys.argv[1]; sys.path.insert(0, path.rsplit('/', 1)[0]); "
            + "sys.argv = [path, '--self-test']; runpy.run_path(path, run_name='__main__')"
        let (status, output) = try PythonCheck.run(script: script, arguments: [Self.harness + "/" + file])
        #expect(status == 0 && output.contains("self-test OK"), "\(output)")
    }
}
