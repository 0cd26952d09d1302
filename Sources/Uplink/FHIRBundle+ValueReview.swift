internal import PocGateCore
internal import Store

extension FHIRMapper {
    /// The note on an Observation whose value was held (outside its analyte's plausible range,
    /// or flagged by the device) and released by a person who checked it: the center sees the
    /// value was reviewed at the gateway, and when (docs/CODES.md "Plausibility"). The
    /// technician's own words stay in the gateway's audit log.
    static func valueReviewNote(_ row: StoredReading) -> JSONText? {
        guard let hold = row.reading.valueHold, let released = row.valueReleasedAtMillis else { return nil }
        let what: String
        switch hold {
        case .implausibleValue: what = "outside the plausible range for this analyte"
        case .deviceWarning: what = "flagged by the device as of questionable validity"
        }
        return .object([
            "time": .string(FHIRTime.instant(millis: released)),
            "text": .string("\(hold.rawValue): value \(what); held at the gateway and released after a technician checked it"),
        ])
    }
}
