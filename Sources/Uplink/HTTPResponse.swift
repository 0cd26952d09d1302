/// An HTTP answer: the status code, the headers and the body bytes.
public struct HTTPResponse: Sendable, Equatable {
    /// The HTTP status code, e.g. 200.
    public var status: Int
    /// The response body.
    public var body: [UInt8]
    /// The final response's headers, names lowercased (a repeated header keeps its last value).
    public var headers: [String: String]

    public init(status: Int, body: [UInt8], headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200...299).contains(status) }
}
