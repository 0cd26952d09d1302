internal import CZlib

/// gzip (RFC 1952) through zlib, for request bodies (`Content-Encoding: gzip`): libcurl
/// decompresses answers but cannot compress what it sends.
public enum Gzip {
    /// Why zlib refused.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// zlib's return code (`Z_DATA_ERROR`, `Z_MEM_ERROR`…).
        public var code: Int32
        /// What zlib was doing.
        public var operation: String
        public var description: String { "gzip: \(operation) failed (zlib code \(code))" }
    }

    /// `bytes` gzip-compressed at `level` (1 fastest … 9 smallest; 6 is zlib's default).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let initialised = pg_deflate_init_gzip(&stream, level)
        guard initialised == Z_OK else { throw Failure(code: initialised, operation: "deflateInit2") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let rc: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard rc == Z_STREAM_END else { throw Failure(code: rc, operation: "deflate") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    /// The bytes of gzip data `bytes` (several members are concatenated), refusing output
    /// larger than `limit`.
    public static func decompress(_ bytes: [UInt8], limit: Int = 256 << 20) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let initialised = pg_inflate_init_gzip(&stream)
        guard initialised == Z_OK else { throw Failure(code: initialised, operation: "inflateInit2") }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let failure: Failure? = input.withUnsafeMutableBufferPointer { inBuffer -> Failure? in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let (rc, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer -> (Int32, Int) in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    let rc = inflate(&stream, Z_NO_FLUSH)
                    return (rc, outBuffer.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return Failure(code: Z_BUF_ERROR, operation: "inflate (output over \(limit) bytes)") }
                switch rc {
                case Z_STREAM_END:
                    if stream.avail_in == 0 { return nil }
                    // Another gzip member follows.
                    guard inflateReset(&stream) == Z_OK else { return Failure(code: rc, operation: "inflateReset") }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return Failure(code: Z_DATA_ERROR, operation: "inflate (truncated input)")
                default:
                    return Failure(code: rc, operation: "inflate")
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
