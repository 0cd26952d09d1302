/// A HID device's feature reports (a CP2110 bridge's UART settings live there). Byte 0 of
/// every report is its report id, as hidraw(4) states for HIDIOCGFEATURE/HIDIOCSFEATURE.
public protocol HIDFeatureReports: AnyObject {
    /// Reads feature report `reportID`, at most `length` bytes including the id byte.
    func getFeature(reportID: UInt8, length: Int) throws(LinkError) -> [UInt8]
    /// Sends `report` (byte 0 the report id) as a feature report.
    func setFeature(_ report: [UInt8]) throws(LinkError)
}

/// Feature reports that pass an allow-list before they reach the device, as output reports
/// pass `ReadOnlyLink`: a refused report is never sent (`LinkError.forbiddenWrite`).
public final class ReadOnlyFeatureReports: HIDFeatureReports {
    private let inner: any HIDFeatureReports
    private let mayWrite: @Sendable ([UInt8]) -> Bool

    /// - Parameter mayWrite: the allow-list; a report it rejects is never written.
    public init(_ inner: any HIDFeatureReports, mayWrite: @escaping @Sendable ([UInt8]) -> Bool) {
        self.inner = inner
        self.mayWrite = mayWrite
    }

    public func getFeature(reportID: UInt8, length: Int) throws(LinkError) -> [UInt8] {
        try inner.getFeature(reportID: reportID, length: length)
    }

    public func setFeature(_ report: [UInt8]) throws(LinkError) {
        guard mayWrite(report) else { throw .forbiddenWrite(hex: HexText.of(report)) }
        try inner.setFeature(report)
    }
}

/// `51 24 00` form, for refusals in logs.
enum HexText {
    static func of(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: " ")
    }
}
