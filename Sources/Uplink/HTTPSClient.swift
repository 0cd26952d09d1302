import PocGateCore
internal import CCurl
internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
internal import Synchronization

/// A small HTTPS client over one reused libcurl easy handle, so consecutive posts share the
/// connection. TLS peer and host verification are always on. Redirects are followed only when
/// they are 307/308 (which keep the POST and its body) and only to `https://`, at most
/// `maximumRedirects` times.
///
/// Not thread-safe: one caller at a time, except `cancel()`, which may be called from any thread.
public final class HTTPSClient {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let cancelled = Atomic<Bool>(false)
    private var response = ResponseBuffer()
    private var head = ResponseHead()
    /// The options the client was made with.
    public let options: HTTPSClientOptions

    /// The most bytes a response may have; larger answers fail rather than fill memory.
    public static let maximumResponseBytes = 16 << 20

    private static let globalInit: CURLcode = pg_curl_global_init_default()

    /// Creates a client. `caFile` replaces the system CA store when set (only that CA is trusted).
    public convenience init(caFile: String?, connectTimeoutSeconds: Int, totalTimeoutSeconds: Int) throws(TransportError) {
        try self.init(options: HTTPSClientOptions(caFile: caFile, connectTimeoutSeconds: connectTimeoutSeconds,
                                                  totalTimeoutSeconds: totalTimeoutSeconds))
    }

    /// Creates a client with every connection setting.
    public init(options: HTTPSClientOptions) throws(TransportError) {
        guard Self.globalInit == CURLE_OK else {
            throw .setup(code: Int32(Self.globalInit.rawValue), detail: "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else { throw .setup(code: -1, detail: "curl_easy_init returned NULL") }
        self.handle = handle
        self.options = options
        let size = Int(pg_curl_error_size())
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)

        let context = Unmanaged.passUnretained(self).toOpaque()
        var rc = CURLE_OK
        func set(_ code: CURLcode) { if rc == CURLE_OK { rc = code } }
        set(pg_curl_set_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set(pg_curl_set_str(handle, CURLOPT_PROTOCOLS_STR, "https,http"))
        set(pg_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, options.maximumRedirects > 0 ? 1 : 0))
        set(pg_curl_set_long(handle, CURLOPT_MAXREDIRS, options.maximumRedirects))
        set(pg_curl_set_str(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https"))
        set(pg_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        set(pg_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        set(pg_curl_set_long(handle, CURLOPT_SSLVERSION, pg_curl_sslversion_tls12()))
        if let caFile = options.caFile {
            set(pg_curl_set_str(handle, CURLOPT_CAINFO, caFile))
            set(pg_curl_set_str(handle, CURLOPT_CAPATH, nil))
            set(pg_curl_set_str(handle, CURLOPT_PROXY_CAINFO, caFile))
        }
        if let certificate = options.clientCertificate {
            set(pg_curl_set_str(handle, CURLOPT_SSLCERT, certificate))
            set(pg_curl_set_str(handle, CURLOPT_SSLCERTTYPE, "PEM"))
        }
        if let key = options.clientKey {
            set(pg_curl_set_str(handle, CURLOPT_SSLKEY, key))
            set(pg_curl_set_str(handle, CURLOPT_SSLKEYTYPE, "PEM"))
        }
        // An empty proxy disables the http_proxy/https_proxy environment variables too.
        set(pg_curl_set_str(handle, CURLOPT_PROXY, options.proxy ?? ""))
        set(pg_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds))
        set(pg_curl_set_long(handle, CURLOPT_TIMEOUT, options.totalTimeoutSeconds))
        if options.lowSpeedLimitBytesPerSecond > 0 {
            set(pg_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedLimitBytesPerSecond))
            set(pg_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, options.lowSpeedTimeSeconds))
        }
        set(pg_curl_set_long(handle, CURLOPT_NOSIGNAL, 1))
        set(pg_curl_set_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
        set(pg_curl_set_str(handle, CURLOPT_USERAGENT, "pocgate-uplink"))
        set(pg_curl_set_write_cb(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            guard let data, let context else { return 0 }
            let client = Unmanaged<HTTPSClient>.fromOpaque(context).takeUnretainedValue()
            return client.response.append(UnsafeRawBufferPointer(start: data, count: size * count))
                ? size * count : 0
        }))
        set(pg_curl_set_ptr(handle, CURLOPT_WRITEDATA, context))
        set(pg_curl_set_write_cb(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            guard let data, let context else { return 0 }
            let client = Unmanaged<HTTPSClient>.fromOpaque(context).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            return client.head.consume(line) ? size * count : 0
        }))
        set(pg_curl_set_ptr(handle, CURLOPT_HEADERDATA, context))
        set(pg_curl_set_long(handle, CURLOPT_NOPROGRESS, 0))
        set(pg_curl_set_xferinfo_cb(handle, { context, _, _, _, _ in
            guard let context else { return 0 }
            return Unmanaged<HTTPSClient>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
        }))
        set(pg_curl_set_ptr(handle, CURLOPT_XFERINFODATA, context))
        guard rc == CURLE_OK else {
            throw .setup(code: Int32(rc.rawValue), detail: String(cString: curl_easy_strerror(rc)))
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Whether `cancel()` was called since the last `resetCancellation()`.
    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Aborts a request in progress and every later one until `resetCancellation()`.
    public func cancel() { cancelled.store(true, ordering: .releasing) }

    /// Lets requests run again after `cancel()`.
    public func resetCancellation() { cancelled.store(false, ordering: .releasing) }

    /// POSTs `body` to `url` with the given header lines (`Name: value`).
    /// - Returns: the server's answer, whatever its status code.
    /// - Throws: `TransportError` when no HTTP answer was received.
    public func post(url: String, body: [UInt8], headers: [String]) throws(TransportError) -> HTTPResponse {
        // Disable "Expect: 100-continue": it costs a round trip for nothing.
        try perform(url: url, headers: headers + ["Expect:"]) { handle in
            var rc = pg_curl_set_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if rc == CURLE_OK {
                rc = body.withUnsafeBytes { bytes in
                    // COPYPOSTFIELDS copies POSTFIELDSIZE bytes; an empty body still needs a valid pointer.
                    pg_curl_set_ptr(handle, CURLOPT_COPYPOSTFIELDS,
                                    UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)))
                }
            }
            return rc
        }
    }

    /// GETs `url` with the given header lines (`Name: value`): for reads such as the center's
    /// FHIR `metadata` (`pocgate uplink test`), never for readings.
    /// - Returns: the server's answer, whatever its status code.
    /// - Throws: `TransportError` when no HTTP answer was received.
    public func get(url: String, headers: [String]) throws(TransportError) -> HTTPResponse {
        try perform(url: url, headers: headers) { handle in pg_curl_set_long(handle, CURLOPT_HTTPGET, 1) }
    }

    /// HEADs `url` with the given header lines: whether the server answers at all, whatever
    /// the status (the uplink's probe while the link is down). Nothing is sent or read but the
    /// head; the connection stays for the upload that follows.
    /// - Throws: `TransportError` when no HTTP answer was received.
    public func head(url: String, headers: [String]) throws(TransportError) -> HTTPResponse {
        defer { _ = pg_curl_set_long(handle, CURLOPT_NOBODY, 0) }
        return try perform(url: url, headers: headers) { handle in pg_curl_set_long(handle, CURLOPT_NOBODY, 1) }
    }

    /// One request: the URL and header lines, then `method` sets what differs (the body or GET),
    /// then the transfer; the handle's header list is cleared afterwards.
    private func perform(url: String, headers: [String],
                         method: (UnsafeMutableRawPointer) -> CURLcode) throws(TransportError) -> HTTPResponse {
        guard !isCancelled else { throw .cancelled }
        errorBuffer[0] = 0
        response = ResponseBuffer()
        head = ResponseHead()
        var list: UnsafeMutablePointer<curl_slist>?
        for line in headers {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw .setup(code: -1, detail: "out of memory building headers")
            }
            list = appended
        }
        defer {
            pg_curl_set_slist(handle, CURLOPT_HTTPHEADER, nil)
            curl_slist_free_all(list)
        }
        var rc = pg_curl_set_str(handle, CURLOPT_URL, url)
        if rc == CURLE_OK { rc = pg_curl_set_slist(handle, CURLOPT_HTTPHEADER, list) }
        if rc == CURLE_OK { rc = method(handle) }
        guard rc == CURLE_OK else {
            throw .setup(code: Int32(rc.rawValue), detail: String(cString: curl_easy_strerror(rc)))
        }
        let performed = curl_easy_perform(handle)
        guard performed == CURLE_OK else { throw failure(performed) }
        var status = 0
        _ = pg_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, body: response.bytes, headers: head.headers)
    }

    private func failure(_ performed: CURLcode) -> TransportError {
        let text = String(cString: errorBuffer)
        let detail = text.isEmpty ? String(cString: curl_easy_strerror(performed)) : text
        let code = Int32(performed.rawValue)
        if performed == CURLE_WRITE_ERROR && response.overflowed {
            return .other(code: code, detail: "response larger than \(Self.maximumResponseBytes) bytes")
        }
        if let refused = head.refusedRedirect {
            return .redirectRefused(code: code, detail: "the data center answered \(refused.status) (redirect to "
                                    + "\(refused.location ?? "nowhere")); only 307/308 redirects are followed")
        }
        if performed == CURLE_UNSUPPORTED_PROTOCOL, head.isRedirect {
            return .redirectRefused(code: code, detail: "redirect to \(head.location ?? "an unknown URL") refused: "
                                    + "redirects are followed to https:// only")
        }
        if performed == CURLE_TOO_MANY_REDIRECTS {
            return .redirectRefused(code: code, detail: "more than \(options.maximumRedirects) redirects (\(detail))")
        }
        return TransportError.from(performed, detail: detail)
    }
}

/// Collects a response body, refusing more than `HTTPSClient.maximumResponseBytes`.
private struct ResponseBuffer {
    var bytes: [UInt8] = []
    var overflowed = false

    mutating func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= HTTPSClient.maximumResponseBytes else {
            overflowed = true
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }
}

/// The status line and headers of the latest response (each redirect hop starts a new one),
/// and the redirect policy: 301/302/303 would turn the POST into a GET, so they stop the transfer.
private struct ResponseHead {
    var status = 0
    var headers: [String: String] = [:]
    var refusedRedirect: (status: Int, location: String?)?

    var isRedirect: Bool { (300...399).contains(status) }
    var location: String? { headers["location"] }

    /// Takes one header line; false aborts the transfer.
    mutating func consume(_ line: String) -> Bool {
        let trimmed = line.trimmingWhitespaceAndNewlines()
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = [:]
            return true
        }
        if trimmed.isEmpty {
            // End of this response's headers.
            if [301, 302, 303].contains(status) {
                refusedRedirect = (status, location)
                return false
            }
            return true
        }
        if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].lowercased()
            headers[name] = trimmed[trimmed.index(after: colon)...].trimmingWhitespace()
        }
        return true
    }
}
