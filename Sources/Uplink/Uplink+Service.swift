public import Services

extension Uplink: Service {
    public var serviceName: String { "uplink worker" }
}
