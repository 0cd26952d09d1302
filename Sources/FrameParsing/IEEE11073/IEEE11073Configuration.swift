/// An agent's configuration: the numeric objects it reports, each with its measurement
/// code, unit and (for fixed-format reports) the attribute value map that lays out its
/// observation bytes. A standard configuration is known by its id; an extended one arrives
/// in a configuration report (MDC_NOTI_CONFIG).
public struct IEEE11073Configuration: Sendable, Equatable {
    /// One metric object of the configuration.
    public struct Object: Sendable, Equatable {
        /// The object's handle, as scan reports name it.
        public var handle: UInt16
        /// MDC_MOC_… class (6 = numeric).
        public var objectClass: UInt16
        /// The measurement code (partition SCADA), from MDC_ATTR_ID_TYPE.
        public var typeCode: UInt16
        /// The MDC_DIM unit code, from MDC_ATTR_UNIT_CODE.
        public var unitCode: UInt16?
        /// The sub-codes of a compound value (MDC_ATTR_ID_PHYSIO_LIST), e.g. sys/dia/mean.
        public var componentCodes: [UInt16]
        /// (attribute id, value length) in the order a fixed-format observation carries them.
        public var valueMap: [(attribute: UInt16, length: Int)]

        public init(handle: UInt16, objectClass: UInt16 = IEEE11073Nomenclature.classNumeric, typeCode: UInt16,
                    unitCode: UInt16?, componentCodes: [UInt16] = [], valueMap: [(attribute: UInt16, length: Int)]) {
            self.handle = handle
            self.objectClass = objectClass
            self.typeCode = typeCode
            self.unitCode = unitCode
            self.componentCodes = componentCodes
            self.valueMap = valueMap
        }

        public static func == (a: Object, b: Object) -> Bool {
            a.handle == b.handle && a.objectClass == b.objectClass && a.typeCode == b.typeCode && a.unitCode == b.unitCode
                && a.componentCodes == b.componentCodes && a.valueMap.map(\.attribute) == b.valueMap.map(\.attribute)
                && a.valueMap.map(\.length) == b.valueMap.map(\.length)
        }
    }

    /// The dev-config-id.
    public var id: UInt16
    /// The metric objects, by handle order of the report.
    public var objects: [Object]

    public init(id: UInt16, objects: [Object]) {
        self.id = id
        self.objects = objects
    }

    /// The object with `handle`.
    public func object(_ handle: UInt16) -> Object? { objects.first { $0.handle == handle } }

    /// Whether some object measures something pocgate turns into readings.
    public var hasDecodableObject: Bool {
        objects.contains { $0.objectClass == IEEE11073Nomenclature.classNumeric && IEEE11073Nomenclature.kind(of: $0.typeCode) != nil }
    }

    /// Parses a ConfigReport (the info of an MDC_NOTI_CONFIG event): config-report-id, then
    /// the ConfigObjectList. Returns the configuration and the report id the answer echoes.
    public static func parseReport(_ info: [UInt8]) throws(IEEE11073DecodeError) -> IEEE11073Configuration {
        var r = MDERReader(info)
        let id = try r.u16("config-report-id")
        var (count, list) = try r.list("config object list")
        var objects: [Object] = []
        for _ in 0..<count {
            let objectClass = try list.u16("object class")
            let handle = try list.u16("object handle")
            var (n, attrs) = try list.list("object attribute list")
            var object = Object(handle: handle, objectClass: objectClass, typeCode: 0, unitCode: nil, valueMap: [])
            for _ in 0..<n {
                let attribute = try attrs.u16("attribute id")
                var value = try attrs.sub(Int(try attrs.u16("attribute length")), "attribute value")
                switch attribute {
                case IEEE11073Nomenclature.attrType:
                    _ = try value.u16("type partition")
                    object.typeCode = try value.u16("type code")
                case IEEE11073Nomenclature.attrUnitCode:
                    object.unitCode = try value.u16("unit code")
                case IEEE11073Nomenclature.attrPhysioList:
                    var (k, ids) = try value.list("metric id list")
                    for _ in 0..<k { object.componentCodes.append(try ids.u16("metric id")) }
                case IEEE11073Nomenclature.attrValueMap:
                    var (k, entries) = try value.list("attribute value map")
                    for _ in 0..<k {
                        let a = try entries.u16("value map attribute")
                        object.valueMap.append((a, Int(try entries.u16("value map length"))))
                    }
                default:
                    break
                }
            }
            objects.append(object)
        }
        return IEEE11073Configuration(id: id, objects: objects)
    }
}
