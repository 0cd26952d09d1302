import FrameParsing
import FoundationEssentials
import Glibc
public import PocGateCore
import Services
import Synchronization

/// A TaiDoc TD-4277 glucose meter emulated on a pseudo-terminal.
///
/// Open `slavePath` as you would `/dev/ttyUSB0` (19200 8N1, raw) and speak the TaiDoc 8-byte
/// protocol: the meter answers wake, model, serial, clock, record count, record time and value,
/// and power off. Like the real gateway's deny-list, it never honours clear memory (0x52) or
/// set clock (0x33); it counts them in `counters.violations` instead. Garbage and frames with a
/// bad checksum are skipped by scanning for the next 0x51.
///
/// The meter's clock starts at `clock` and runs with real time. Power off (0x50) is echoed but
/// the meter keeps answering, as if its button were pressed again. A host may close and
/// reopen the slave any number of times.
public final class EmulatedTD4277: Sendable {
    /// The serial number the meter reports (16 hex digits).
    public let serial: String
    /// The device path a host opens, e.g. `/dev/pts/4`.
    public let slavePath: String

    private let pty: PseudoTerminal
    private let wake: WakePipe
    private let responder: TD4277Responder
    private let clock: LocalDateTime
    private let createdAt = ContinuousClock.now
    private let state = Mutex(State())

    private struct State {
        var counters = EmulatorCounters()
        var phase = Phase.idle
    }

    private enum Phase {
        case idle
        case running(ServiceThread)
        case stopped
    }

    /// Opens the pseudo-terminal; the meter answers once `start()` is called.
    ///
    /// - Parameters:
    ///   - serial: 16 hex digits; the host rebuilds it from the 0x28 and 0x27 replies.
    ///   - records: the memory, index 0 the newest, as `sampleMemory(count:newest:)` builds it.
    ///   - clock: the meter's clock at creation (seconds are kept but never sent).
    public init(serial: String, records: [EmulatedRecord], clock: LocalDateTime) throws(EmulatorError) {
        guard clock.isValid, (2000...2127).contains(clock.year) else { throw .invalidClock(clock.description) }
        responder = try TD4277Responder(serial: serial, records: records)
        switch WakePipe.open() {
        case .success(let pipe): wake = pipe
        case .failure(let failure): throw .system(call: failure.call, errno: failure.errno)
        }
        do {
            pty = try PseudoTerminal.open()
        } catch {
            wake.close()
            throw error
        }
        self.serial = serial
        self.slavePath = pty.slavePath
        self.clock = clock
    }

    deinit {
        let open = state.withLock { state -> Bool in
            if case .stopped = state.phase { return false }
            return true
        }
        if open {
            pty.close()
            wake.close()
        }
    }

    /// A snapshot of the counters.
    public var counters: EmulatorCounters { state.withLock { $0.counters } }

    /// The meter's clock now: the start clock plus the time since creation.
    public var meterTime: LocalDateTime {
        let elapsed = (ContinuousClock.now - createdAt).components.seconds
        return LocalDateTime(secondsSinceEpoch: clock.secondsSinceEpoch + elapsed)
    }

    /// Starts answering on a background thread. Calling it again, or after `stop()`, does nothing.
    public func start() {
        state.withLock { state in
            guard case .idle = state.phase else { return }
            state.phase = .running(ServiceThread(name: "td4277-emulator") { [self] in serve() })
        }
    }

    /// Stops answering, waits for the thread to finish and closes the pseudo-terminal: a host
    /// holding the slave then sees the line hang up, as when a meter's cable is pulled.
    public func stop() {
        let previous = state.withLock { state -> Phase in
            let phase = state.phase
            state.phase = .stopped
            return phase
        }
        switch previous {
        case .stopped: return
        case .idle: break
        case .running(let thread):
            wake.signal()
            thread.join()
        }
        pty.close()
        wake.close()
    }

    // MARK: - The meter's loop

    private func serve() {
        var scanner = FrameStream(TaiDocFrameDecoder(direction: .hostToMeter))
        var buffer = [UInt8](repeating: 0, count: 512)
        while !wake.isSignalled {
            var fds = [
                pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, 500)
            if ready < 0 {
                if errno != EINTR { wake.wait(milliseconds: 50) }
                continue
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let count = read(pty.master, &buffer, buffer.count)
            if count > 0 {
                buffer.withUnsafeBytes { scanner.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                answerFrames(&scanner)
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                // EIO or hang-up: no slave is open. Wait, do not spin; a host may reopen it.
                wake.wait(milliseconds: 50)
            }
        }
    }

    /// Answers every complete frame. Counters are updated before a reply is written, so a host
    /// that has read a reply sees counters that include it.
    private func answerFrames(_ scanner: inout FrameStream<TaiDocFrameDecoder>) {
        while let frame = scanner.next() {
            let outcome = responder.respond(to: frame, now: meterTime)
            record(outcome, scanner)
            if case .reply(let bytes) = outcome, !pty.writeAll(bytes) {
                state.withLock { state in
                    state.counters.framesAnswered -= 1
                    state.counters.unansweredFrames += 1
                }
            }
        }
        record(nil, scanner)
    }

    private func record(_ outcome: TD4277Responder.Outcome?, _ scanner: FrameStream<TaiDocFrameDecoder>) {
        state.withLock { state in
            state.counters.badFramesIgnored = scanner.counters.rejectedFrames
            state.counters.garbageBytesSkipped = scanner.counters.garbageBytes
            switch outcome {
            case .reply: state.counters.framesAnswered += 1
            case .violation: state.counters.violations += 1
            case .unanswered: state.counters.unansweredFrames += 1
            case nil: break
            }
        }
    }

}
