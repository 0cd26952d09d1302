/// The report ids and encodings of the Silicon Labs CP2110 HID-to-UART bridge (AN434,
/// docs/protocols/cp2110.md), and the bridge allow-list: the only feature reports pocgate may
/// ever write. Reset (0x40), GPIO, and the one-time-programmable customisation reports
/// (0x60–0x66: lock byte, USB configuration, strings, pin configuration: they change the cable
/// for ever) are refused whatever asks for them.
public enum CP2110Reports {
    /// Input and output data reports: the report id is the count of data bytes that follow.
    public static let dataReportIDs: ClosedRange<UInt8> = 0x01...0x3F
    /// Get/Set UART Enable: one byte, 0 disabled, 1 enabled.
    public static let uartEnable: UInt8 = 0x41
    /// Set Purge FIFOs: one byte, bit 0 the transmit FIFO, bit 1 the receive FIFO.
    public static let purgeFIFOs: UInt8 = 0x43
    /// Get/Set UART Config: baud (uint32, big-endian), parity, flow control, data bits, stop bits.
    public static let uartConfig: UInt8 = 0x50
    /// Data bytes in one data report.
    public static let maximumDataBytes = 63
    /// The bauds the bridge's UART accepts (AN434).
    public static let baudRange = 300...1_000_000

    /// The report that enables the UART.
    public static let enableUART: [UInt8] = [uartEnable, 0x01]
    /// The report that purges both FIFOs.
    public static let purgeBoth: [UInt8] = [purgeFIFOs, 0x03]

    /// The UART configuration report for `line`, or nil when the bridge cannot do it (a baud
    /// outside 300…1 000 000, other than 5…8 data bits or 1–2 stop bits).
    public static func configReport(_ line: TTYSettings) -> [UInt8]? {
        guard baudRange.contains(line.baud), (5...8).contains(line.dataBits), (1...2).contains(line.stopBits) else {
            return nil
        }
        let baud = UInt32(line.baud)
        let parity: UInt8
        switch line.parity {
        case .none: parity = 0x00
        case .odd: parity = 0x01
        case .even: parity = 0x02
        }
        return [uartConfig, UInt8(baud >> 24), UInt8(baud >> 16 & 0xFF), UInt8(baud >> 8 & 0xFF), UInt8(baud & 0xFF),
                parity, line.hardwareFlowControl ? 0x01 : 0x00, UInt8(line.dataBits - 5), UInt8(line.stopBits - 1)]
    }

    /// The bridge allow-list: true only for enabling the UART, a UART configuration within the
    /// bridge's ranges, and purging FIFOs. Everything else (disable, reset, GPIO, latch,
    /// customisation, unknown ids, wrong lengths) is false.
    public static func mayWriteFeature(_ report: [UInt8]) -> Bool {
        guard let id = report.first else { return false }
        switch id {
        case uartEnable:
            return report == enableUART
        case purgeFIFOs:
            return report.count == 2 && (0x01...0x03).contains(report[1])
        case uartConfig:
            guard report.count == 9 else { return false }
            let baud = Int(report[1]) << 24 | Int(report[2]) << 16 | Int(report[3]) << 8 | Int(report[4])
            return baudRange.contains(baud) && report[5] <= 0x04 && report[6] <= 0x01 && report[7] <= 0x03 && report[8] <= 0x01
        default:
            return false
        }
    }
}
