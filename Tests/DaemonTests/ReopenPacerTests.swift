import Tools
@testable import Daemon
import Sessions
import Transports
import Testing

/// A quiet port is reopened with exponential pacing up to a cap, never hammered.
@Suite struct ReopenPacerTests {
    @Test func quietSessionsDoubleTheWaitUpToTheCapAndAnAnswerResetsIt() {
        var pacer = ReopenPacer(base: .seconds(30), cap: .seconds(600))
        #expect(pacer.sessionEnded(quiet: false) == .seconds(30))
        let waits = (1...8).map { _ in pacer.sessionEnded(quiet: true) }
        #expect(waits == [30, 60, 120, 240, 480, 600, 600, 600].map { Duration.seconds($0) })
        #expect(pacer.isBackingOff)
        #expect(pacer.sessionEnded(quiet: false) == .seconds(30))
        #expect(!pacer.isBackingOff)
    }

    /// A fake clock: a port quiet for a whole day is opened a bounded number of times, and at
    /// least once every `cap`.
    @Test func aDayOfSilenceOpensThePortRarely() {
        var pacer = ReopenPacer(base: .seconds(30), cap: .seconds(600))
        var now = Duration.zero
        var opens: [Duration] = []
        while now < .seconds(86_400) {
            opens.append(now)
            now += .seconds(2) + pacer.sessionEnded(quiet: true)  // each quiet session lasts ~2 s
        }
        #expect(opens.count < 160, "\(opens.count) opens")
        let gaps = zip(opens.dropFirst(), opens).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 <= .seconds(602) })
        // Without pacing the same day would have opened the port 2 700 times.
        #expect(opens.count * 10 < 86_400 / 32)
    }

    @Test func aCapBelowThePollIntervalIsRaisedToIt() {
        var pacer = ReopenPacer(base: .seconds(900), cap: .seconds(600))
        #expect(pacer.sessionEnded(quiet: true) == .seconds(900))
        #expect(pacer.sessionEnded(quiet: true) == .seconds(900))
    }

    /// Which session endings slow the reopening down: a device that does not answer is asked
    /// less often; a listening port that stayed silent for its quiet time is just idle and is
    /// opened again after the poll interval, so a device that speaks first is heard.
    @Test func onlyUnansweredSessionsBackOff() {
        #expect(PortWorker.backsOff(after: .noAnswer))
        #expect(PortWorker.backsOff(after: .timedOut(command: "read model")))
        let idle: [SessionOutcome] = [.quiet, .complete, .unplugged, .stopped, .storeFull("x"), .storeFailed("x"), .transportFailed("x")]
        #expect(idle.allSatisfy { !PortWorker.backsOff(after: $0) })
    }
}
