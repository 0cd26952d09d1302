/// The output and feature reports pocgate may send an Omron HEM-790IT-class monitor: the
/// allow-list under its `ReadOnlyLink`. Each output report is written as 9 bytes, report id
/// 0x00 first (the device numbers no reports; the kernel strips it), then the count byte and 7
/// data bytes; a command longer than 7 bytes spans reports. Every command ends with the XOR of
/// its bytes after the 3-letter mnemonic.
///
/// Only the reads below can leave: never the memory clear (`MCL00`) of the same USB id's other
/// dialect, nor any other command, nor another feature report.
public enum OmronCommand: Sendable, Equatable {
    /// The wake-up ("clearing") block: 30 zero bytes as four 7-byte reports and one 2-byte one.
    case wake
    /// `GDC 00 bank 00 00 check`: how many measurements `bank` holds.
    case readingCount(bank: UInt8)
    /// `GME 00 bank 00 index check`: measurement `index` (0 = newest) of `bank`.
    case reading(bank: UInt8, index: UInt8)
    /// `END FF FF`: the transfer is over; the device answers `OK`, then `OFF` and switches off.
    case end

    /// The banks pocgate reads: 0 and 1, the user A/B switch of the two-user models.
    public static let banks: [UInt8] = [0, 1]

    /// The feature report that selects the individual-reading mode (0x74 0xBC), report id 0
    /// first, sent once before the wake-up block.
    public static let readingMode: [UInt8] = [0x00, 0x74, 0xBC]

    /// The command's bytes as the notes write them.
    public var bytes: [UInt8] {
        switch self {
        case .wake: return [UInt8](repeating: 0, count: 30)
        case let .readingCount(bank): return Array("GDC".utf8) + [0x00, bank, 0x00, 0x00, bank]
        case let .reading(bank, index): return Array("GME".utf8) + [0x00, bank, 0x00, index, index ^ bank]
        case .end: return Array("END".utf8) + [0xFF, 0xFF]
        }
    }

    /// The 9-byte output reports that carry it, in order.
    public var reports: [[UInt8]] {
        let data = bytes
        var out: [[UInt8]] = []
        var i = 0
        while i < data.count {
            let chunk = data[i..<min(i + OmronResponse.dataPerReport, data.count)]
            var report = [0x00, UInt8(chunk.count)] + chunk
            report += [UInt8](repeating: 0, count: 9 - report.count)
            out.append(report)
            i += chunk.count
        }
        return out
    }

    /// The command's name for logs and time-outs.
    public var name: String {
        switch self {
        case .wake: return "wake"
        case let .readingCount(bank): return "GDC bank \(bank)"
        case let .reading(bank, index): return "GME bank \(bank) index \(index)"
        case .end: return "END"
        }
    }

    /// Whether `report` is exactly one report of an allowed command (any index, banks 0 and 1)
    /// or the reading-mode feature report.
    public static func mayTransmit(_ report: [UInt8]) -> Bool {
        if report == readingMode { return true }
        guard report.count == 9, report[0] == 0x00 else { return false }
        if Self.wake.reports.contains(report) || Self.end.reports.contains(report) { return true }
        for bank in banks {
            if Self.readingCount(bank: bank).reports.contains(report) { return true }
            // A measurement request: its first report for any index, or its check byte.
            let first = Self.reading(bank: bank, index: report[8]).reports[0]
            if report == first { return true }
        }
        // The last report of GDC/GME: one check byte, nothing else.
        return report[1] == 1 && report[3...].allSatisfy { $0 == 0 }
    }
}
