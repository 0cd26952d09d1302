internal import CCurl
internal import Synchronization

/// A small HTTPS client over one reused libcurl easy handle, so consecutive posts share the
/// connection. TLS peer and host verification are always on.
///
/// Not thread-safe: one caller at a time, except `cancel()`, which may be called from any thread.
public final class HTTPSClient {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let cancelled = Atomic<Bool>(false)
    private var response = ResponseBuffer()

    /// The most bytes a response may have; larger answers fail rather than fill memory.
    public static let maximumResponseBytes = 16 << 20

    private static let globalInit: CURLcode = pg_curl_global_init_default()

    /// Creates a client. `caFile` replaces the system CA store when set (only that CA is trusted).
    public init(caFile: String?, connectTimeoutSeconds: Int, totalTimeoutSeconds: Int) throws(TransportError) {
        guard Self.globalInit == CURLE_OK else {
            throw .setup(code: Int32(Self.globalInit.rawValue), detail: "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else { throw .setup(code: -1, detail: "curl_easy_init returned NULL") }
        self.handle = handle
        let size = Int(pg_curl_error_size())
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)

        let context = Unmanaged.passUnretained(self).toOpaque()
        var rc = CURLE_OK
        func set(_ code: CURLcode) { if rc == CURLE_OK { rc = code } }
        set(pg_curl_set_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set(pg_curl_set_str(handle, CURLOPT_PROTOCOLS_STR, "https,http"))
        set(pg_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        set(pg_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        set(pg_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        set(pg_curl_set_long(handle, CURLOPT_SSLVERSION, pg_curl_sslversion_tls12()))
        if let caFile {
            set(pg_curl_set_str(handle, CURLOPT_CAINFO, caFile))
            set(pg_curl_set_str(handle, CURLOPT_CAPATH, nil))
        }
        set(pg_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeoutSeconds))
        set(pg_curl_set_long(handle, CURLOPT_TIMEOUT, totalTimeoutSeconds))
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
        guard !isCancelled else { throw .cancelled }
        errorBuffer[0] = 0
        response = ResponseBuffer()
        var list: UnsafeMutablePointer<curl_slist>?
        // Disable "Expect: 100-continue": it costs a round trip for nothing.
        for line in headers + ["Expect:"] {
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
        if rc == CURLE_OK { rc = pg_curl_set_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)) }
        if rc == CURLE_OK {
            rc = body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes; an empty body still needs a valid pointer.
                pg_curl_set_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)))
            }
        }
        guard rc == CURLE_OK else {
            throw .setup(code: Int32(rc.rawValue), detail: String(cString: curl_easy_strerror(rc)))
        }
        let performed = curl_easy_perform(handle)
        guard performed == CURLE_OK else {
            let text = String(cString: errorBuffer)
            let detail = text.isEmpty ? String(cString: curl_easy_strerror(performed)) : text
            if performed == CURLE_WRITE_ERROR && response.overflowed {
                throw .other(code: Int32(performed.rawValue), detail: "response larger than \(Self.maximumResponseBytes) bytes")
            }
            throw TransportError.from(performed, detail: detail)
        }
        var status = 0
        _ = pg_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, body: response.bytes)
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
