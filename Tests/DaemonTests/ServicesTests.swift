import Foundation
import Services
import Synchronization
import Testing

/// The one vocabulary of pocgate's threads: a `Monitor` to wait on, a `ServiceThread` to run a
/// loop, a `ServiceGroup` to start and stop them in order. No wall-clock assertions: waits are
/// checked by what they return, never by how long they took.
@Suite struct ServicesTests {
    @Test func aWaiterWakesWhenAnotherThreadChangesTheState() {
        let flag = Monitor(false)
        let waiter = ServiceThread(name: "test-waiter") { flag.wait(until: nil) { $0 } }
        flag.update { $0 = true }
        waiter.join()
        #expect(waiter.hasEnded)
    }

    @Test func aWaitWhoseDeadlinePassesSaysTheConditionDidNotHold() {
        let flag = Monitor(false)
        #expect(!flag.wait(until: .now + .milliseconds(20)) { $0 })
        #expect(!flag.wait(until: .now - .seconds(1)) { $0 }, "a deadline in the past returns at once")
        flag.withLock { $0 = true }
        #expect(flag.wait(until: .now - .seconds(1)) { $0 }, "a condition that holds is reported even after the deadline")
    }

    @Test func joinIsSafeTwiceAndFromTheThreadItself() {
        let selfJoined = Monitor(false)
        let holder = Mutex<ServiceThread?>(nil)
        let started = Monitor(false)
        let thread = ServiceThread(name: "test-self-join") {
            started.wait(until: nil) { $0 }
            holder.withLock { $0 }?.join()  // from its own thread: returns, never deadlocks
            selfJoined.update { $0 = true }
        }
        holder.withLock { $0 = thread }
        started.update { $0 = true }
        thread.join()
        thread.join()
        #expect(selfJoined.withLock { $0 })
    }

    @Test func theThreadCarriesItsNameForTopAndProc() throws {
        let named = Monitor(false)
        let release = Monitor(false)
        let thread = ServiceThread(name: "pg-name-check-long-name") {
            named.update { $0 = true }
            release.wait(until: nil) { $0 }
        }
        named.wait(until: nil) { $0 }
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        let names = tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        release.update { $0 = true }
        thread.join()
        #expect(thread.name == "pg-name-check-l")
        #expect(names.contains { $0.hasPrefix("pg-name-check-l") })
    }

    @Test func servicesStopInTheReverseOfTheirStartOrder() throws {
        let log = Log()
        let group = ServiceGroup()
        try group.start([Recorder("a", log), Recorder("b", log), Recorder("c", log)])
        group.stop()
        group.stop()
        #expect(log.lines == ["start a", "start b", "start c", "stop c", "stop b", "stop a"])
    }

    @Test func aServiceThatCannotStartStopsThoseStartedBeforeIt() {
        let log = Log()
        let group = ServiceGroup()
        #expect(throws: Recorder.Refused.self) {
            try group.start([Recorder("a", log), Recorder("b", log, fails: true), Recorder("c", log)])
        }
        #expect(log.lines == ["start a", "stop a"])
    }

    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ line: String) { entries.withLock { $0.append(line) } }
        var lines: [String] { entries.withLock { $0 } }
    }

    final class Recorder: Service {
        struct Refused: Error {}
        let serviceName: String
        let log: Log
        let fails: Bool
        init(_ name: String, _ log: Log, fails: Bool = false) {
            serviceName = name
            self.log = log
            self.fails = fails
        }
        func start() throws {
            if fails { throw Refused() }
            log.add("start \(serviceName)")
        }
        func stop() { log.add("stop \(serviceName)") }
    }
}
