/// How a fuzz input is read: three control bytes, then the byte stream the decoder sees.
///
/// - bytes 0–1: where to split the stream in two (little-endian, modulo its length + 1);
/// - byte 2: `chunk` (low 4 bits + 1) for the chunked feeds, bit 4–6 a pattern choosing
///   `forEachFrame` or `append` + `next()` per chunk; bit 7 is the target's to use (TaiDoc:
///   which direction to decode).
struct FuzzInput {
    let split: Int
    let chunk: Int
    let pattern: UInt8
    let flag: Bool
    let stream: UnsafeRawBufferPointer

    /// Nil when the input is shorter than the control bytes.
    init?(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 3 else { return nil }
        stream = UnsafeRawBufferPointer(rebasing: input[3...])
        split = (Int(input[0]) | Int(input[1]) << 8) % (stream.count + 1)
        chunk = Int(input[2] & 0x0F) + 1
        pattern = (input[2] >> 4) & 0x07
        flag = input[2] & 0x80 != 0
    }

    /// A seed file: control bytes for an even split and small chunks, then `stream`.
    static func seed(_ stream: [UInt8], flag: Bool = false) -> [UInt8] {
        let split = stream.count / 2
        return [UInt8(split & 0xFF), UInt8(split >> 8 & 0xFF), (flag ? 0x80 : 0) | 0x57] + stream
    }
}
