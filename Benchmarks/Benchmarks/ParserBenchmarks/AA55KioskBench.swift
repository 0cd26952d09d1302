import FrameParsing

extension CodecBench {
    /// The kiosk's `AA 55` frames as a measurement session sends them: mostly SpO2 parameter
    /// and plethysmogram frames (the continuous traffic), with cuff pressure, blood-pressure,
    /// thermometer and strip results in between; random values, CRC-8/MAXIM computed.
    static var aa55Kiosk: CodecBench {
        .codec("AA55 kiosk", kind: .binary, decoder: AA55FrameDecoder()) { rng, capture in
            let r = rng.next()
            let b = { (shift: UInt64) in UInt8(truncatingIfNeeded: r >> shift) }
            let frame: AA55Frame
            switch r & 7 {
            case 0, 1, 2: frame = AA55Frame(token: 0x53, body: [0x01, 90 + b(8) % 10, b(16), 0, b(24), 0x00])!
            case 3, 4: frame = AA55Frame(token: 0x52, body: [0x01, b(8) & 0x7F, b(16) & 0x7F, b(24) & 0x7F, b(32) & 0x7F, b(40) & 0x7F])!
            case 5: frame = AA55Frame(token: 0x42, body: [0x01, 0x00, b(8)])!
            case 6: frame = AA55Frame(token: 0x43, body: [0x01, 0x00, 100 + b(8) % 60, 0, 60 + b(16) % 30, 50 + b(24) % 50])!
            default: frame = AA55Frame(token: 0xE2, body: [0x01, b(8) & 0x01, 0x00, b(16) & 0x99])!
            }
            capture += frame.bytes
        }
    }
}
