public import Services

extension Gateway: Service {
    public var serviceName: String { "gateway" }

    /// Starts the uplink worker, then discovery (which starts a port worker per claimed port).
    public func start() throws { try startWithDiscovery() }
}
