/// One answer of an Omron HEM-790IT-class monitor: the valid bytes of a run of 8-byte HID input
/// reports, joined. Each report is `count, data[7]`, and only the first `count` data bytes mean
/// anything; an answer ends with the first report that carries fewer than 7 bytes (or with the
/// `OFF` report that follows `END`). docs/protocols/omron-hem790it.md, "Reports".
public struct OmronResponse: Sendable, Equatable {
    /// The input report size of the device: a count byte and 7 data bytes, no report id.
    public static let reportLength = 8
    /// The data bytes one report carries at most.
    public static let dataPerReport = 7
    /// The most reports one answer may span: the longest documented answer (17 bytes, a
    /// stored measurement) takes 3; 6 leaves room for the 15-byte version text and more.
    public static let maximumReports = 6

    /// The answer's bytes, report counts and padding removed.
    public var bytes: InlineBytes
    /// How many input reports it came in.
    public var reports: Int

    public init(bytes: InlineBytes, reports: Int) {
        self.bytes = bytes
        self.reports = reports
    }

    /// What the answer says (`OmronReply`).
    public var reply: OmronReply { OmronReply(bytes) }
}
