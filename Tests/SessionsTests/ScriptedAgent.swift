import Sessions
import Transports
import Daemon
import Tools
import Emulators
import Foundation
import FrameParsing
import Glibc

/// An IEEE 11073-20601 agent on the master side of a pseudo-terminal, following a script:
/// send an APDU, or wait for the manager's next APDU. Records every byte the manager wrote.
final class ScriptedAgent: @unchecked Sendable {
    enum Step {
        /// Write these bytes (an APDU, or noise).
        case send([UInt8])
        /// Wait up to the given time for one complete APDU from the manager.
        case awaitAnswer(millis: Int)
        /// Close the master: the device goes away.
        case hangUp
    }

    let pty: PTYPair
    private let lock = NSLock()
    private var answers: [IEEE11073APDU] = []
    private var raw: [UInt8] = []
    private var missed = 0
    private let finished = DispatchSemaphore(value: 0)
    private var stream = FrameStream(IEEE11073APDUDecoder())

    init() throws { pty = try PTYPair() }

    /// The manager's APDUs received so far.
    var answerCount: Int { lock.withLock { answers.count } }
    /// Every APDU the manager sent, and every byte.
    var received: (apdus: [IEEE11073APDU], bytes: [UInt8], missedAnswers: Int) { lock.withLock { (answers, raw, missed) } }

    /// Runs `script` on a background thread.
    func start(_ script: [Step]) {
        Thread.detachNewThread { [self] in
            for step in script {
                switch step {
                case let .send(bytes): pty.write(bytes)
                case let .awaitAnswer(millis):
                    if !awaitAnswer(millis) { lock.withLock { missed += 1 } }
                case .hangUp: pty.closeMaster()
                }
            }
            finished.signal()
        }
    }

    /// Waits until the script has run (or `seconds` pass).
    @discardableResult
    func wait(seconds: Int = 10) -> Bool { finished.wait(timeout: .now() + .seconds(seconds)) == .success }

    /// Reads what else the manager wrote within `millis` (after the script) into the record.
    func drain(millis: Int32 = 150) {
        let extra = pty.read(waitingMillis: millis)
        lock.withLock {
            raw += extra
            stream.append(extra)
            while let apdu = stream.next() { answers.append(apdu) }
        }
    }

    private func awaitAnswer(_ millis: Int) -> Bool {
        let deadline = Date().addingTimeInterval(Double(millis) / 1000)
        var buffer = [UInt8](repeating: 0, count: 512)
        while Date() < deadline {
            var p = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 20) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(pty.master, $0.baseAddress, $0.count) }
            guard n > 0 else { continue }
            let got = lock.withLock { () -> Bool in
                raw += buffer[0..<n]
                stream.append(Array(buffer[0..<n]))
                var any = false
                while let apdu = stream.next() { answers.append(apdu); any = true }
                return any
            }
            if got { return true }
        }
        return false
    }
}
