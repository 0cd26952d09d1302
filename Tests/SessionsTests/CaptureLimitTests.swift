import Sessions
import Transports
import Tools
import Emulators
import Daemon
import Foundation
import FrameParsing
import Logging
import Synchronization
import Testing

/// `pocgate capture` on a device that never stops talking (an HL7 kiosk sending visit after
/// visit) ends by itself at its byte or time limit, keeping what it recorded.
@Suite struct CaptureLimitTests {
    /// Sends the same ORU message again and again, draining the acknowledgements, until stopped.
    final class TalkingKiosk: @unchecked Sendable {
        let pty: PTYPair
        private let stopped = Atomic<Bool>(false)
        private let done = DispatchSemaphore(value: 0)

        init() throws { pty = try PTYPair() }

        func start() {
            Thread { [self] in
                while !stopped.load(ordering: .relaxed) {
                    pty.write(HL7SessionTests.first)
                    _ = pty.read(waitingMillis: 5)
                }
                done.signal()
            }.start()
        }

        func stop() {
            stopped.store(true, ordering: .relaxed)
            done.wait()
            pty.closeMaster()
        }
    }

    static func capture(_ limits: CaptureLimits) throws -> (CaptureRun.Summary, CaptureFile) {
        let kiosk = try TalkingKiosk()
        kiosk.start()
        defer { kiosk.stop() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString).pgcap").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let summary = try CaptureRun.run(CaptureRun.Plan(devnode: kiosk.pty.slavePath, profile: HL7SessionTests.profile,
                                                         outputPath: out, listenSeconds: 0, limits: limits),
                                         logger: Logger(label: "test"))
        let file = try CaptureFile.parse([UInt8](try #require(FileManager.default.contents(atPath: out))))
        return (summary, file)
    }

    @Test func captureOfAKioskThatNeverStopsTalkingEndsAtItsByteLimit() throws {
        let (summary, file) = try Self.capture(CaptureLimits(maxSeconds: 3600, maxBytes: 16_384, maxReadingsPrinted: 3))
        #expect(summary.outcome.contains("16384 bytes (--max-bytes)"), "\(summary.outcome)")
        // Reads stop at the limit; the acknowledgement written last may pass it.
        #expect(summary.deviceBytes <= 16_384 && summary.deviceBytes + summary.gatewayBytes <= 16_384 + 4_096)
        #expect(summary.deviceBytes + summary.gatewayBytes >= 16_384)
        #expect(file.deviceBytes.count == summary.deviceBytes && file.gatewayBytes.count == summary.gatewayBytes)
        #expect(summary.readings.count <= 3 && summary.readingCount >= summary.readings.count)
    }

    @Test func captureOfAKioskThatNeverStopsTalkingEndsAtItsTimeLimit() throws {
        let (summary, file) = try Self.capture(CaptureLimits(maxSeconds: 1, maxBytes: 1 << 30))
        #expect(summary.outcome.contains("1 s (--max-seconds)"), "\(summary.outcome)")
        #expect(summary.readingCount > 0)
        #expect(file.deviceBytes.count == summary.deviceBytes)
    }
}
