import Services

extension StatusPublisher: Service {
    package var serviceName: String { "status publisher" }

    /// Stops after writing the final state, `stopped`.
    package func stop() { stop(final: .stopped) }
}
