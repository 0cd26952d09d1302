import Foundation

/// A real FHIR receiver for uplink tests: `Tests/Harness/fhir_receiver.py` run by Debian's
/// `/usr/bin/python3` (override with `POCGATE_TEST_PYTHON`) over HTTPS on 127.0.0.1, with a
/// fresh CA and server certificate made by `openssl`.
///
/// Needs `fhir.resources` for validation:
/// `/usr/bin/python3 -m pip install --break-system-packages fhir.resources`.
public final class HTTPSReceiver: @unchecked Sendable {
    /// How the receiver should behave.
    public struct Options: Sendable {
        /// Answer `failStatus` to the first N POSTs.
        public var failFirst = 0
        /// The status for `failFirst` (500 unless set).
        public var failStatus = 500
        /// Refuse the Observation with this identifier value ("422" entry status).
        public var rejectIdentifier: String?
        /// Answer one response entry too few.
        public var shortResponse = false
        /// Serve plain HTTP instead of HTTPS.
        public var plainHTTP = false
        /// Fail to start when fhir.resources is not installed (default), instead of skipping validation.
        public var requireValidation = true
        /// Validate bundles with fhir.resources (off: much faster, for large runs).
        public var validate = true
        /// `Retry-After` sent with the `failFirst` answers (seconds or an HTTP-date).
        public var retryAfter: String?
        /// Answer the whole Bundle 422 when it holds the Observation with this identifier value.
        public var rejectWholeIdentifier: String?
        /// Answer 413 to a Bundle with more Observations than this.
        public var maxEntries: Int?
        /// Answer POSTs to `redirectPath` with `redirectStatus` and `Location: redirectLocation`
        /// (`{port}` in it stands for the receiver's own port).
        public var redirectPath: String?
        public var redirectLocation: String?
        public var redirectStatus = 307
        /// Require a client certificate signed by this CA (mutual TLS).
        public var clientCA: String?
        /// Serve a flawed certificate (expired, wrong host name).
        public var certificateFlaw: TestCertificates.Flaw = .none
        /// Certificates made beforehand (a client configured before the server starts, as after
        /// an outage); `certificateFlaw` is then ignored.
        public var certificates: TestCertificates?
        /// Listen on this port (0: any free one).
        public var port = 0
        /// Log only identifiers and statuses of Observations, and no request bodies.
        public var leanLogs = false

        public init() {}
    }

    /// One POST the receiver answered.
    public struct Request: Sendable {
        public var path: String
        public var status: Int
        public var contentType: String?
        public var entries: Int
        /// The request body as text, after undoing any Content-Encoding.
        public var body: String
        /// Content-Encoding and the X-Pocgate signing headers, names lowercased.
        public var headers: [String: String]
    }

    /// The temporary directory holding certificates and logs; removed on deinit.
    public let directory: String
    /// The receiver's port on 127.0.0.1.
    public let port: Int
    /// The endpoint to post bundles to.
    public let url: String
    /// The CA that signed the server certificate.
    public let caFile: String
    /// The server certificate and key (valid for 127.0.0.1), e.g. for a test proxy.
    public let certFile: String
    public let keyFile: String
    private let process: Process
    private let logFile: String
    /// The request log (one JSON line per POST, the format `pocgate verify-chain` reads).
    public let requestsFile: String

    /// The repository root, found from this file's path.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Generates certificates and starts the receiver; returns once it is listening.
    public init(options: Options = Options()) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-receiver-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        directory = dir
        let certificates = try options.certificates ?? TestCertificates.generate(in: dir, flaw: options.certificateFlaw)
        caFile = certificates.caFile
        certFile = certificates.certFile
        keyFile = certificates.keyFile
        logFile = dir + "/observations.jsonl"
        requestsFile = dir + "/requests.jsonl"
        let portFile = dir + "/port"
        let errorFile = dir + "/receiver.stderr"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)

        var arguments = [Self.repositoryRoot + "/Tests/Harness/fhir_receiver.py", "--port-file", portFile,
                         "--log", logFile, "--requests", requestsFile,
                         "--fail-first", String(options.failFirst), "--fail-status", String(options.failStatus)]
        if options.plainHTTP {
            arguments.append("--plain-http")
        } else {
            arguments += ["--cert", certificates.certFile, "--key", certificates.keyFile]
        }
        if let reject = options.rejectIdentifier { arguments += ["--reject-identifier", reject] }
        if options.shortResponse { arguments.append("--short-response") }
        if options.requireValidation && options.validate { arguments.append("--require-validation") }
        if !options.validate { arguments.append("--no-validate") }
        if let value = options.retryAfter { arguments += ["--retry-after", value] }
        if let value = options.rejectWholeIdentifier { arguments += ["--reject-whole-identifier", value] }
        if let value = options.maxEntries { arguments += ["--max-entries", String(value)] }
        if let path = options.redirectPath, let location = options.redirectLocation {
            arguments += ["--redirect-path", path, "--redirect-location", location, "--redirect-status", String(options.redirectStatus)]
        }
        if let value = options.clientCA { arguments += ["--client-ca", value] }
        if options.port != 0 { arguments += ["--port", String(options.port)] }
        if options.leanLogs { arguments.append("--lean-logs") }

        let python = ProcessInfo.processInfo.environment["POCGATE_TEST_PYTHON"] ?? "/usr/bin/python3"
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        try process.run()

        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                found = value
            } else if !process.isRunning {
                let stderr = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
                throw TestSupportError.receiverDidNotStart(reason: "exit \(process.terminationStatus): \(stderr)")
            } else if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw TestSupportError.receiverDidNotStart(reason: "no port file after 60 s")
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        port = found!
        url = (options.plainHTTP ? "http" : "https") + "://127.0.0.1:\(port)/fhir"
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Every Observation received, as parsed JSON objects, in arrival order. Each has `_status`
    /// ("201" created, "200" already existed) and `_value_text` (the value exactly as sent).
    public func receivedObservations() -> [[String: Any]] {
        jsonLines(logFile)
    }

    /// Every POST received, in order.
    public func requests() -> [Request] {
        jsonLines(requestsFile).map { line in
            Request(path: line["path"] as? String ?? "", status: line["status"] as? Int ?? 0,
                    contentType: line["contentType"] as? String, entries: line["entries"] as? Int ?? 0,
                    body: line["body"] as? String ?? "", headers: line["headers"] as? [String: String] ?? [:])
        }
    }

    /// How many POSTs the receiver answered.
    public func requestCount() -> Int { requests().count }

    /// The receiver's standard error so far (connection and TLS errors).
    public func errorOutput() -> String {
        (try? String(contentsOfFile: directory + "/receiver.stderr", encoding: .utf8)) ?? ""
    }

    /// Stops the receiver (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. Idempotent.
    public func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func jsonLines(_ path: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// A port on 127.0.0.1 with nothing listening (bound, then closed), for connection-refused tests.
    public static func closedLoopbackPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 ? getsockname(fd, pointer, &length) : -1
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
