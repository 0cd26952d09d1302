import FrameParsing

/// Builds what an ASTM E1381 sender puts on the line for a message of E1394 records: each
/// record starts a new frame, a record longer than `maxText` continues in ETB frames, the last
/// frame of the message ends ETX (or every record's frame ends ETB and only the last ETX, the
/// Contour way, with `contourStyle`), frame numbers run 1…7, 0, 1…
public enum ASTMConversation {
    /// The frames of one message, in order.
    public static func frames(_ records: [String], maxText: Int = 240, contourStyle: Bool = true) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var number: UInt8 = 1
        for (r, record) in records.enumerated() {
            let text = Array(record.utf8) + [0x0D]
            var start = 0
            while start < text.count {
                let end = min(text.count, start + maxText)
                let lastOfRecord = end == text.count
                let lastOfMessage = lastOfRecord && r == records.count - 1
                let final = lastOfMessage || (lastOfRecord && !contourStyle)
                out.append(ASTMDataFrame.encode(number: number, text: Array(text[start..<end]), isFinal: final))
                number = (number + 1) & 7
                start = end
            }
        }
        return out
    }

    /// ENQ, the frames, EOT.
    public static func transfer(_ records: [String], maxText: Int = 240, contourStyle: Bool = true) -> [UInt8] {
        [ASTMControl.enq.rawValue] + frames(records, maxText: maxText, contourStyle: contourStyle).flatMap { $0 } + [ASTMControl.eot.rawValue]
    }

    /// A copy of `frame` whose checksum no longer matches (first checksum digit changed).
    public static func corrupted(_ frame: [UInt8]) -> [UInt8] {
        var f = frame
        let i = f.count - 4
        f[i] = f[i] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        return f
    }
}
