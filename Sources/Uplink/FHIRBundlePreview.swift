import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
internal import PocGateCore
public import Store

/// The FHIR transaction Bundle the uplink would send for some stored readings, built by the
/// same mapping, with entry URLs numbered instead of random: for golden files and reviews.
public struct FHIRBundlePreview: Sendable {
    let mapper: FHIRMapper

    /// - Throws: `UplinkError.unknownTimeZone` when `settings.timeZone` is not an IANA zone.
    public init(settings: UplinkSettings) throws(UplinkError) {
        guard let zone = ZoneInfo.named(settings.timeZone) else { throw .unknownTimeZone(settings.timeZone) }
        mapper = FHIRMapper(settings: settings, zone: zone)
    }

    /// The bundle's compact JSON (the bytes the uplink would post, but for the entry URLs).
    public func body(for rows: [StoredReading]) -> [UInt8] {
        let counter = Self.counter()
        return mapper.bundleJSON(for: rows, makeUUID: { counter() }).0.bytes
    }

    /// The bundle as indented JSON with sorted keys, numbers written exactly as sent.
    public func prettyText(for rows: [StoredReading]) -> String {
        let counter = Self.counter()
        return mapper.bundleJSON(for: rows, makeUUID: { counter() }).0.prettyText
    }

    /// UUIDs 00000000-0000-4000-8000-000000000001, …2, …
    private static func counter() -> () -> UUID {
        var n: UInt64 = 0
        return {
            n += 1
            var bytes: [UInt8] = [0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0]
            for k in 0..<6 { bytes[15 - k] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(k))) }
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }
}
