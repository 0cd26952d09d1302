/// One object's observation in a scan report: its handle, the person it belongs to (multiple
/// person reports), and its attributes still encoded.
public struct IEEE11073Observation: Sendable, Equatable {
    public var handle: UInt16
    /// The person id of a multiple-person report; nil otherwise.
    public var personID: UInt16?
    /// (attribute id, value bytes) in report order.
    public var attributes: [Attribute]
    /// The observation's bytes as they arrived (provenance for the reading).
    public var raw: [UInt8]

    /// One attribute value.
    public struct Attribute: Sendable, Equatable {
        public var id: UInt16
        public var value: [UInt8]

        public init(id: UInt16, value: [UInt8]) {
            self.id = id
            self.value = value
        }
    }

    public init(handle: UInt16, personID: UInt16?, attributes: [Attribute], raw: [UInt8]) {
        self.handle = handle
        self.personID = personID
        self.attributes = attributes
        self.raw = raw
    }

    /// The value of attribute `id`, if present.
    public func attribute(_ id: UInt16) -> [UInt8]? { attributes.first { $0.id == id }?.value }
}

/// The observations of one scan report, and the entries that could not be laid out.
public struct IEEE11073ScanReport: Sendable, Equatable {
    public var observations: [IEEE11073Observation] = []
    /// Entries skipped, each with the reason (unknown handle, wrong length).
    public var problems: [String] = []

    /// Whether `eventType` is a scan report pocgate decodes.
    public static func isScanReport(_ eventType: UInt16) -> Bool {
        (IEEE11073Nomenclature.notiScanReportFixed...IEEE11073Nomenclature.notiScanReportMPVar).contains(eventType)
    }

    /// Parses the info of a scan-report event of `eventType` against `configuration` (which
    /// lays out fixed-format observations).
    public init(eventType: UInt16, info: [UInt8], configuration: IEEE11073Configuration) throws(IEEE11073DecodeError) {
        typealias N = IEEE11073Nomenclature
        var r = MDERReader(info)
        _ = try r.u16("data-req-id")
        _ = try r.u16("scan-report-no")
        switch eventType {
        case N.notiScanReportFixed:
            var (count, list) = try r.list("fixed observation list")
            try fixed(count, &list, person: nil, configuration)
        case N.notiScanReportVar:
            var (count, list) = try r.list("variable observation list")
            try variable(count, &list, person: nil)
        case N.notiScanReportMPFixed:
            var (people, list) = try r.list("per-person fixed list")
            for _ in 0..<people {
                let person = try list.u16("person id")
                var (count, entries) = try list.list("fixed observation list")
                try fixed(count, &entries, person: person, configuration)
            }
        case N.notiScanReportMPVar:
            var (people, list) = try r.list("per-person variable list")
            for _ in 0..<people {
                let person = try list.u16("person id")
                var (count, entries) = try list.list("variable observation list")
                try variable(count, &entries, person: person)
            }
        default:
            throw .unsupported("event type \(eventType)")
        }
    }

    /// Fixed format: handle and an octet string laid out by the object's value map.
    private mutating func fixed(_ count: Int, _ list: inout MDERReader, person: UInt16?,
                                _ configuration: IEEE11073Configuration) throws(IEEE11073DecodeError) {
        for _ in 0..<count {
            let handle = try list.u16("observation handle")
            let length = Int(try list.u16("observation value"))
            let start = list.offset
            let data = try list.take(length, "observation value")
            let raw = list.bytes(after: handle, start..<list.offset)
            guard let object = configuration.object(handle) else {
                problems.append("observation for handle \(handle), which configuration \(configuration.id) does not define [\(Hex.string(raw))]")
                continue
            }
            let expected = object.valueMap.reduce(0) { $0 + $1.length }
            guard expected == data.count else {
                problems.append("observation for handle \(handle) has \(data.count) bytes, its value map lays out \(expected) [\(Hex.string(raw))]")
                continue
            }
            var attributes: [IEEE11073Observation.Attribute] = []
            var at = 0
            for entry in object.valueMap {
                attributes.append(.init(id: entry.attribute, value: Array(data[at..<(at + entry.length)])))
                at += entry.length
            }
            observations.append(IEEE11073Observation(handle: handle, personID: person, attributes: attributes, raw: raw))
        }
    }

    /// Variable format: handle and an attribute list.
    private mutating func variable(_ count: Int, _ list: inout MDERReader, person: UInt16?) throws(IEEE11073DecodeError) {
        for _ in 0..<count {
            let handle = try list.u16("observation handle")
            var (n, attrs) = try list.list("observation attribute list")
            var attributes: [IEEE11073Observation.Attribute] = []
            attributes.reserveCapacity(n)
            // The attributes as they were read (id, length, value), after the handle: the raw bytes.
            let start = attrs.offset
            for _ in 0..<n {
                let id = try attrs.u16("attribute id")
                let value = try attrs.octetString("attribute value")
                attributes.append(.init(id: id, value: value))
            }
            observations.append(IEEE11073Observation(handle: handle, personID: person, attributes: attributes,
                                                     raw: attrs.bytes(after: handle, start..<attrs.offset)))
        }
    }
}
