/// A long-running part of the daemon (the uplink worker, the gateway with its port workers and
/// udev monitor, the status publisher, the profile watcher): each runs on a `ServiceThread`,
/// waits on a `Monitor`, and is started and stopped the same way, in one place
/// (`ServiceGroup`).
public protocol Service: AnyObject {
    /// For the log line when it starts or fails to.
    var serviceName: String { get }
    /// Starts its thread(s). A service that cannot start throws and leaves nothing running.
    func start() throws
    /// Asks it to stop and waits until its thread(s) have returned. Safe to call twice.
    func stop()
}

/// Services started in a defined order and stopped in the reverse order: what a later one
/// needs is running before it starts and still running while it stops.
public final class ServiceGroup {
    private var started: [any Service] = []

    public init() {}

    /// Starts `services` in order; when one fails, stops those already started (in reverse)
    /// and rethrows its error.
    public func start(_ services: [any Service]) throws {
        for service in services {
            do {
                try service.start()
            } catch {
                stop()
                throw error
            }
            started.append(service)
        }
    }

    /// Stops every started service, last started first.
    public func stop() {
        while let service = started.popLast() { service.stop() }
    }
}
