/// The frame layer every emulated LifeScan binary meter shares: `02 len link message 03 crcLo
/// crcHi`, `len` the whole frame, the CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of STX
/// through ETX, little-endian (glucometer-protocols' shared binary notes). Bytes before an STX,
/// a bad length, ETX or CRC are counted and skipped; a partial frame waits for the rest.
struct LifeScanFrameSplitter: Sendable {
    private var buffer: [UInt8] = []

    /// The whole frames `bytes` complete, as link byte and message.
    mutating func take(_ bytes: [UInt8], counters: inout EmulatorCounters) -> [(link: UInt8, message: [UInt8])] {
        buffer += bytes
        var out: [(link: UInt8, message: [UInt8])] = []
        while !buffer.isEmpty {
            guard let start = buffer.firstIndex(of: 0x02) else {
                counters.garbageBytesSkipped += buffer.count
                buffer.removeAll()
                break
            }
            if start > 0 {
                counters.garbageBytesSkipped += start
                buffer.removeFirst(start)
            }
            guard buffer.count >= 2 else { break }
            let length = Int(buffer[1])
            guard length >= 6 else {
                counters.garbageBytesSkipped += 1
                buffer.removeFirst()
                continue
            }
            guard buffer.count >= length else { break }
            let candidate = Array(buffer[0..<length])
            let crc = UInt16(candidate[length - 2]) | UInt16(candidate[length - 1]) << 8
            guard candidate[length - 3] == 0x03, crc == UltraEasyResponder.crc16(candidate[0..<(length - 2)]) else {
                counters.badFramesIgnored += 1
                counters.garbageBytesSkipped += 1
                buffer.removeFirst()
                continue
            }
            buffer.removeFirst(length)
            out.append((candidate[2], Array(candidate[3..<(length - 3)])))
        }
        return out
    }
}
