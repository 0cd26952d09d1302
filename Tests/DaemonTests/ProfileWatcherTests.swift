import Tools
import Sessions
import Transports
@testable import Daemon
import Foundation
import Logging
import Synchronization
import Testing

/// The profile directory watcher: one call per burst of changes, subdirectories included.
@Suite(.serialized) struct ProfileWatcherTests {
    final class Counter: Sendable {
        let value = Mutex(0)
        func bump() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    func waitFor(_ counter: Counter, atLeast n: Int, seconds: Double = 5) {
        let end = Date().addingTimeInterval(seconds)
        while counter.count < n && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
    }

    @Test func aBurstOfChangesReloadsOnceAndNewSubdirectoriesAreWatched() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir + "/vendor", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let counter = Counter()
        let changed: @Sendable () -> Void = { counter.bump() }
        let made = ProfileWatcher(directories: [dir, dir + "/missing"], debounce: .seconds(1),
                                  logger: Logger(label: "test"), changed: changed)
        let watcher = try #require(made)
        watcher.start()
        defer { watcher.stop() }

        for i in 0..<5 {
            try "id: x\(i)\n".write(toFile: dir + "/vendor/p\(i).yaml", atomically: true, encoding: .utf8)
            Thread.sleep(forTimeInterval: 0.03)
        }
        waitFor(counter, atLeast: 1)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(counter.count == 1, "five quick writes reload once")

        // A model directory created now (cp -r of a new profile) is watched after that reload.
        try FileManager.default.createDirectory(atPath: dir + "/vendor/model", withIntermediateDirectories: true)
        waitFor(counter, atLeast: 2)
        try "id: y\n".write(toFile: dir + "/vendor/model/profile.yaml", atomically: true, encoding: .utf8)
        waitFor(counter, atLeast: 3)
        #expect(counter.count == 3)
    }
}
