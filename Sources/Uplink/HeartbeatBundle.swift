internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
internal import PocGateCore
public import Store

/// The heartbeat as a FHIR R4 transaction Bundle (docs/fhir/README.md, "Heartbeat"): one
/// conditional update (`PUT Device?identifier=…`) of the gateway's Device and one of each
/// meter's, so sending it again changes nothing but the values.
public struct HeartbeatBundle: Sendable {
    /// The Bundle's bytes.
    public let body: [UInt8]
    /// How many entries it holds (the gateway and each meter).
    public let entryCount: Int

    /// The gateway Device's identifier system: `<base>/identifier/gateway-id`.
    public static func gatewaySystem(_ canonical: FHIRCanonical) -> String { canonical.identifierSystem("gateway-id") }

    /// Builds the Bundle of `report` and `facts` at `nowMillis`.
    public init(report: FleetReport, facts: GatewayFacts, nowMillis: Int64, settings: UplinkSettings) {
        self.init(report: report, facts: facts, nowMillis: nowMillis, settings: settings, makeUUID: FHIRMapper.randomUUID)
    }

    /// Builds the Bundle; `makeUUID` supplies the `urn:uuid:` full URLs.
    init(report: FleetReport, facts: GatewayFacts, nowMillis: Int64, settings: UplinkSettings, makeUUID: () -> UUID) {
        let mapper = FHIRMapper(settings: settings, zone: ZoneInfo.named(settings.timeZone) ?? .utc)
        let canonical = settings.canonical
        let gatewayURL = "urn:uuid:" + makeUUID().uuidString.lowercased()
        var entries = [mapper.update(fullURL: gatewayURL, type: "Device",
                                     resource: Self.gatewayDevice(report, facts, nowMillis: nowMillis, canonical: canonical),
                                     system: Self.gatewaySystem(canonical), value: facts.gatewayID)]
        for device in report.devices {
            entries.append(mapper.update(fullURL: "urn:uuid:" + makeUUID().uuidString.lowercased(), type: "Device",
                                         resource: Self.meterDevice(device, parent: gatewayURL, mapper: mapper),
                                         system: mapper.deviceSystem(device.serial), value: device.serial))
        }
        let bundle: JSONText = .object([
            "resourceType": .string("Bundle"),
            "type": .string("transaction"),
            "entry": .array(entries),
        ])
        body = bundle.bytes
        entryCount = entries.count
    }

    static func gatewayDevice(_ report: FleetReport, _ facts: GatewayFacts, nowMillis: Int64,
                              canonical: FHIRCanonical) -> JSONText {
        var extensions: [JSONText] = [
            dateTime(canonical, .heartbeatTime, nowMillis),
            seconds(canonical, .heartbeatInterval, Int64(facts.intervalSeconds)),
            seconds(canonical, .gatewayUptime, max(0, nowMillis - facts.startedAtMillis) / 1000),
            quantity(canonical, .storeUsed, report.usedBytes, unit: "By"),
        ]
        if let headroom = report.headroomBytes { extensions.append(quantity(canonical, .storeHeadroom, headroom, unit: "By")) }
        extensions.append(integer(canonical, .queueDepth, report.pending))
        if let oldest = report.oldestPendingReceivedAtMillis {
            extensions.append(seconds(canonical, .oldestPendingAge, max(0, nowMillis - oldest) / 1000))
        }
        if let last = report.lastDeliveredAtMillis { extensions.append(dateTime(canonical, .lastUpload, last)) }
        extensions.append(integer(canonical, .heldReadings, report.held))
        extensions.append(integer(canonical, .deadLetters, report.deadLetters))
        return .object([
            "resourceType": .string("Device"),
            "identifier": .array([.object(["system": .string(gatewaySystem(canonical)), "value": .string(facts.gatewayID)])]),
            "status": .string("active"),
            "manufacturer": .string("pocgate"),
            "deviceName": .array([.object(["name": .string("pocgate gateway " + facts.gatewayID), "type": .string("user-friendly-name")])]),
            "type": .object(["text": .string("pocgate gateway")]),
            "version": .array([.object(["type": .object(["text": .string("pocgate")]), "value": .string(facts.version)])]),
            "extension": .array(extensions),
        ])
    }

    static func meterDevice(_ device: FleetDevice, parent: String, mapper: FHIRMapper) -> JSONText {
        let canonical = mapper.canonical
        guard case .object(var fields) = mapper.device(serial: device.serial, model: device.model) else {
            return mapper.device(serial: device.serial, model: device.model)
        }
        var extensions: [JSONText] = [
            .object(["url": .string(canonical.url(.meterProfile)), "valueString": .string(device.profileID)]),
            dateTime(canonical, .lastSession, device.lastSessionStartedAtMillis),
        ]
        if let outcome = device.lastSessionOutcome, !outcome.isEmpty {
            extensions.append(.object(["url": .string(canonical.url(.lastSessionOutcome)), "valueString": .string(outcome)]))
        }
        if let last = device.lastReadingReceivedAtMillis { extensions.append(dateTime(canonical, .lastReading, last)) }
        if let offset = device.clockOffsetSeconds { extensions.append(seconds(canonical, .clockOffset, offset)) }
        fields["parent"] = .object(["reference": .string(parent)])
        fields["extension"] = .array(extensions)
        return .object(fields)
    }

    private static func dateTime(_ canonical: FHIRCanonical, _ ext: FHIRCanonical.Extension, _ millis: Int64) -> JSONText {
        .object(["url": .string(canonical.url(ext)), "valueDateTime": .string(FHIRTime.instant(millis: millis))])
    }

    private static func integer(_ canonical: FHIRCanonical, _ ext: FHIRCanonical.Extension, _ value: Int) -> JSONText {
        .object(["url": .string(canonical.url(ext)), "valueInteger": .number(String(min(value, Int(Int32.max))))])
    }

    private static func seconds(_ canonical: FHIRCanonical, _ ext: FHIRCanonical.Extension, _ value: Int64) -> JSONText {
        quantity(canonical, ext, value, unit: "s")
    }

    private static func quantity(_ canonical: FHIRCanonical, _ ext: FHIRCanonical.Extension, _ value: Int64,
                                 unit: String) -> JSONText {
        .object(["url": .string(canonical.url(ext)), "valueQuantity": .object([
            "value": .number(String(value)), "unit": .string(unit), "system": .string(FHIRMapper.ucumSystem), "code": .string(unit),
        ])])
    }
}
