/// HID feature reports on a link that has them (a hidraw node): byte 0 is the report id.
/// A session sends one only after its family's read-only allow-list passed it, exactly as
/// for output reports.
public protocol HIDFeatureReports: AnyObject {
    /// Reads feature report `reportID`, `length` bytes including the id.
    func getFeature(reportID: UInt8, length: Int) throws(LinkError) -> [UInt8]
    /// Sends one feature report (byte 0 the report id).
    func setFeature(_ report: [UInt8]) throws(LinkError)
}
