/// How the HTTPS client connects: trust, client certificate, proxy and every timeout.
public struct HTTPSClientOptions: Sendable, Equatable {
    /// PEM CA bundle replacing the system store (only these CAs are trusted); nil = system store.
    public var caFile: String?
    /// PEM client certificate for mutual TLS.
    public var clientCertificate: String?
    /// PEM private key of `clientCertificate`.
    public var clientKey: String?
    /// Proxy URL (`https://` or `http://`); nil = no proxy (environment variables are ignored).
    public var proxy: String?
    /// The most seconds to set up the connection (TCP and TLS).
    public var connectTimeoutSeconds: Int
    /// The most seconds one request may take in all.
    public var totalTimeoutSeconds: Int
    /// A transfer slower than this many bytes per second for `lowSpeedTimeSeconds` is aborted; 0 = off.
    public var lowSpeedLimitBytesPerSecond: Int
    /// See `lowSpeedLimitBytesPerSecond`.
    public var lowSpeedTimeSeconds: Int
    /// The most 307/308 redirects followed (to https only).
    public var maximumRedirects: Int

    public init(caFile: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil, proxy: String? = nil,
                connectTimeoutSeconds: Int = 10, totalTimeoutSeconds: Int = 60, lowSpeedLimitBytesPerSecond: Int = 100,
                lowSpeedTimeSeconds: Int = 30, maximumRedirects: Int = 3) {
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.proxy = proxy
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.lowSpeedLimitBytesPerSecond = lowSpeedLimitBytesPerSecond
        self.lowSpeedTimeSeconds = lowSpeedTimeSeconds
        self.maximumRedirects = maximumRedirects
    }
}
