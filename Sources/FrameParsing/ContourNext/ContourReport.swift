/// The USB HID framing of the Contour Next meters (Ascensia 1a79:xxxx, docs/protocols/contour-next.md):
/// each 64-byte report holds three header bytes, a length byte and up to 60 bytes of the ASTM
/// E1381 byte stream. A report whose length byte is 60 is followed by more of the same message;
/// the stream itself is cut anywhere, so the E1381 decoder above never needs to know where a
/// report ended.
public enum ContourReport {
    /// The size of every report, in and out.
    public static let size = 64
    /// The most stream bytes one report carries (64 minus the header and length byte).
    public static let maximumPayload = 60
    /// The three header bytes a host writes before the length byte (the meter ignores them).
    public static let hostHeader: [UInt8] = Array("ABC".utf8)

    /// What one input report carries.
    public struct Payload: Sendable, Equatable {
        /// The E1381 stream bytes of the report.
        public var bytes: ArraySlice<UInt8>
        /// The report's length byte claimed more than it (or the 60-byte limit) holds, or the
        /// report is shorter than its header: only what fits is taken.
        public var malformed: Bool
    }

    /// The stream bytes of one input report (`report` as hidraw returns it: the meter does not
    /// number its reports). Bounded: never more than 60 bytes, never past the report's end.
    public static func payload(of report: ArraySlice<UInt8>) -> Payload {
        guard report.count >= 4 else { return Payload(bytes: [], malformed: true) }
        let start = report.startIndex
        let claimed = Int(report[start + 3])
        let available = min(report.count - 4, maximumPayload)
        let n = min(claimed, available)
        return Payload(bytes: report[(start + 4)..<(start + 4 + n)], malformed: claimed > available)
    }

    /// The output report that sends one E1381 control byte: report id 0x00 (unnumbered
    /// reports; the kernel strips it), `ABC`, length 1, the byte, zeros to 64 bytes.
    public static func outputReport(_ control: ASTMControl) -> [UInt8] {
        var report: [UInt8] = [0x00] + hostHeader + [1, control.rawValue]
        report += [UInt8](repeating: 0, count: size + 1 - report.count)
        return report
    }

    /// The only reports the gateway may write: EOT (the documented request that starts a
    /// transfer), ACK and NAK, each exactly as `outputReport` builds it. Never a frame, ENQ, or
    /// the `W|`/`D|`/`T|` commands that set the meter's clock.
    public static func mayTransmit(_ report: [UInt8]) -> Bool {
        report == outputReport(.eot) || report == outputReport(.ack) || report == outputReport(.nak)
    }
}
