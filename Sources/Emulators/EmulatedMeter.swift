import FoundationEssentials
import Glibc
import Services
import Synchronization

/// A meter emulated on a pseudo-terminal by a `MeterResponder`: open `slavePath` as you would
/// `/dev/ttyUSB0` (raw) and talk the responder's protocol. The TD-4277 has its own emulator
/// (`EmulatedTD4277`); this one plays the others (`OneTouchUltra2Responder`,
/// `FreeStyleOptiumResponder`, `CodeFreeResponder`). A host may close and reopen the slave.
public final class EmulatedMeter: Sendable {
    /// The device path a host opens, e.g. `/dev/pts/4`.
    public let slavePath: String
    /// The emulated model, e.g. "OneTouch Ultra 2".
    public let model: String

    private let pty: PseudoTerminal
    private let wake: WakePipe
    private let started = ContinuousClock.now
    private let state: Mutex<State>

    private struct State {
        var responder: any MeterResponder
        var counters = EmulatorCounters()
        var thread: ServiceThread?
        var stopped = false
    }

    /// Opens the pseudo-terminal; the meter answers once `start()` is called.
    public init(_ responder: any MeterResponder) throws(EmulatorError) {
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
        slavePath = pty.slavePath
        model = responder.model
        state = Mutex(State(responder: responder))
    }

    deinit {
        if !state.withLock({ $0.stopped }) {
            pty.close()
            wake.close()
        }
    }

    /// A snapshot of the counters.
    public var counters: EmulatorCounters { state.withLock { $0.counters } }

    /// Starts answering on a background thread. Calling it again, or after `stop()`, does nothing.
    public func start() {
        state.withLock { state in
            guard state.thread == nil, !state.stopped else { return }
            state.thread = ServiceThread(name: "meter-emulator") { [self] in serve() }
        }
    }

    /// Stops answering and closes the pseudo-terminal: a host holding the slave then sees the
    /// line hang up, as when a meter's cable is pulled.
    public func stop() {
        let (thread, wasStopped) = state.withLock { state -> (ServiceThread?, Bool) in
            let previous = (state.thread, state.stopped)
            state.thread = nil
            state.stopped = true
            return previous
        }
        if wasStopped { return }
        if let thread {
            wake.signal()
            thread.join()
        }
        pty.close()
        wake.close()
    }

    private var millis: Int64 {
        let d = ContinuousClock.now - started
        return d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while !wake.isSignalled {
            let opening = state.withLock { $0.responder.unprompted(atMillis: millis) }
            if !opening.isEmpty { _ = pty.writeAll(opening) }
            var fds = [
                pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, 100)
            if ready < 0 {
                if errno != EINTR { wake.wait(milliseconds: 50) }
                continue
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let count = read(pty.master, &buffer, buffer.count)
            if count > 0 {
                let reply = state.withLock { s in s.responder.receive(Array(buffer[0..<count]), counters: &s.counters) }
                if !reply.isEmpty, !pty.writeAll(reply) {
                    state.withLock { $0.counters.unansweredFrames += 1 }
                }
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                wake.wait(milliseconds: 50)
            }
        }
    }

}
