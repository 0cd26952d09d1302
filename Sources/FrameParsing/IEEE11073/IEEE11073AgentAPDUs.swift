public import PocGateCore

/// The APDUs an agent sends, encoded: for the emulated agents of the tests, the fuzz seeds,
/// the benchmarks and hand-made captures. The gateway never sends these.
public enum IEEE11073AgentAPDUs {
    typealias N = IEEE11073Nomenclature

    /// An AARQ offering 20601 with MDER, for `configID` and the EUI-64 `systemID`.
    public static func associationRequest(configID: UInt16, systemID: [UInt8]) -> [UInt8] {
        var info: [UInt8] = []
        info += [0x80, 0x00, 0x00, 0x00]            // protocol version 1
        info += [0xA0, 0x00]                        // encoding rules: MDER and PER
        info += [0x80, 0x00, 0x00, 0x00]            // nomenclature version 1
        info += [0x40, 0x00, 0x00, 0x00]            // functional units
        info += [0x00, 0x80, 0x00, 0x00]            // system type: agent
        info += u16(UInt16(systemID.count)) + systemID
        info += u16(configID)
        info += [0x84, 0x80, 0x01, 0x01]            // data request mode capabilities
        info += [0x00, 0x00, 0x00, 0x00]            // option list: empty
        let proto = u16(IEEE11073AssociationRequest.dataProtoID20601) + u16(UInt16(info.count)) + info
        return apdu(.aarq, [0x80, 0x00, 0x00, 0x00] + u16(1) + u16(UInt16(proto.count)) + proto)
    }

    /// RLRQ, reason normal.
    public static func releaseRequest() -> [UInt8] { apdu(.rlrq, [0x00, 0x00]) }

    /// ABRT with `reason`.
    public static func abort(reason: UInt16) -> [UInt8] { apdu(.abrt, u16(reason)) }

    /// A confirmed event report from the MDS (handle 0) with `eventType` and `info`.
    public static func confirmedEventReport(invokeID: UInt16, eventType: UInt16, info: [UInt8]) -> [UInt8] {
        let event = u16(0) + [0xFF, 0xFF, 0xFF, 0xFF] + u16(eventType) + u16(UInt16(info.count)) + info
        let data = u16(invokeID) + u16(IEEE11073DataAPDU.confirmedEventReportChoice) + u16(UInt16(event.count)) + event
        return apdu(.prst, u16(UInt16(data.count)) + data)
    }

    /// The info of a fixed-format scan report: (handle, observation bytes) entries.
    public static func fixedScanInfo(reportNumber: UInt16, _ entries: [(handle: UInt16, value: [UInt8])]) -> [UInt8] {
        let list = entries.flatMap { u16($0.handle) + u16(UInt16($0.value.count)) + $0.value }
        return [0xF0, 0x00] + u16(reportNumber) + u16(UInt16(entries.count)) + u16(UInt16(list.count)) + list
    }

    /// The info of a variable-format scan report: (handle, [(attribute, value)]) entries.
    public static func variableScanInfo(reportNumber: UInt16, _ entries: [(handle: UInt16, attributes: [(UInt16, [UInt8])])]) -> [UInt8] {
        let list = entries.flatMap { entry -> [UInt8] in
            let attrs = entry.attributes.flatMap { u16($0.0) + u16(UInt16($0.1.count)) + $0.1 }
            return u16(entry.handle) + u16(UInt16(entry.attributes.count)) + u16(UInt16(attrs.count)) + attrs
        }
        return [0xF0, 0x00] + u16(reportNumber) + u16(UInt16(entries.count)) + u16(UInt16(list.count)) + list
    }

    /// The info of a configuration report with `reportID` describing `configuration`'s objects.
    public static func configurationInfo(reportID: UInt16, _ configuration: IEEE11073Configuration) -> [UInt8] {
        let objects = configuration.objects.flatMap { o -> [UInt8] in
            var attrs: [[UInt8]] = [attribute(N.attrType, u16(N.partitionSCADA) + u16(o.typeCode)),
                                    attribute(N.attrMetricSpecSmall, [0xF0, 0x40])]
            if let unit = o.unitCode { attrs.append(attribute(N.attrUnitCode, u16(unit))) }
            if !o.componentCodes.isEmpty {
                attrs.append(attribute(N.attrPhysioList, u16(UInt16(o.componentCodes.count)) + u16(UInt16(2 * o.componentCodes.count))
                                       + o.componentCodes.flatMap(u16)))
            }
            let map = o.valueMap.flatMap { u16($0.attribute) + u16(UInt16($0.length)) }
            attrs.append(attribute(N.attrValueMap, u16(UInt16(o.valueMap.count)) + u16(UInt16(map.count)) + map))
            let body = attrs.flatMap { $0 }
            return u16(o.objectClass) + u16(o.handle) + u16(UInt16(attrs.count)) + u16(UInt16(body.count)) + body
        }
        return u16(reportID) + u16(UInt16(configuration.objects.count)) + u16(UInt16(objects.count)) + objects
    }

    /// An SFLOAT of mantissa × 10^exponent (mantissa −2048…2047 minus the specials, exponent −8…7).
    public static func sfloat(mantissa: Int, exponent: Int) -> [UInt8] {
        u16(UInt16(exponent & 0x0F) << 12 | UInt16(mantissa & 0x0FFF))
    }

    /// A FLOAT of mantissa × 10^exponent.
    public static func float(mantissa: Int, exponent: Int) -> [UInt8] {
        let v = UInt32(UInt8(truncatingIfNeeded: exponent)) << 24 | UInt32(mantissa & 0x00FF_FFFF)
        return [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// An AbsoluteTime in BCD for `time`, with `hundredths`.
    public static func time(_ time: LocalDateTime, hundredths: Int = 0) -> [UInt8] {
        [time.year / 100, time.year % 100, time.month, time.day, time.hour, time.minute, time.second, hundredths]
            .map { UInt8(($0 / 10) << 4 | ($0 % 10)) }
    }

    static func attribute(_ id: UInt16, _ value: [UInt8]) -> [UInt8] { u16(id) + u16(UInt16(value.count)) + value }

    static func apdu(_ type: IEEE11073APDUType, _ body: [UInt8]) -> [UInt8] { IEEE11073APDU(type: type, body: body)!.bytes }

    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
}
