public import PocGateCore

/// One Temperature Measurement value (characteristic 0x2A1C, indicated; Health Thermometer
/// Service 1.0 / GATT Specification Supplement "Temperature Measurement"): flags (uint8: bit 0
/// Fahrenheit, bit 1 time stamp, bit 2 temperature type), temperature (FLOAT), time stamp
/// (Date Time), temperature type (uint8). Intermediate Temperature (0x2A1E) is never read.
public struct GATTTemperatureRecord: Sendable, Hashable {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A1C
    static let name = "Temperature Measurement"

    public var flags: UInt8
    /// The FLOAT as sent.
    public var temperatureFLOAT: UInt32
    public var timeStamp: GATTDateTime?
    /// 1 armpit, 2 body (general), 3 ear, 4 finger, 5 gastro-intestinal tract, 6 mouth,
    /// 7 rectum, 8 toe, 9 tympanum.
    public var temperatureType: UInt8?
    /// The value as received.
    public var raw: [UInt8]

    /// Whether the temperature is in degrees Fahrenheit (flag bit 0).
    public var fahrenheit: Bool { flags & 0x01 != 0 }
    public var temperature: IEEE11073Number { .float(temperatureFLOAT) }

    /// Decodes one value; bytes after the last announced field are ignored.
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTTemperatureRecord {
        var r = GATTReader(bytes, characteristic: name)
        let flags = try r.u8("flags")
        let value = try r.u32("temperature")
        let time = flags & 0x02 != 0 ? try r.dateTime("time stamp") : nil
        let type = flags & 0x04 != 0 ? try r.u8("temperature type") : nil
        return GATTTemperatureRecord(flags: flags, temperatureFLOAT: value, timeStamp: time, temperatureType: type, raw: bytes)
    }

    /// Where the temperature was taken, in words, for `Reading.bodySite`; nil when not sent
    /// or a reserved value.
    public var bodySite: String? {
        switch temperatureType {
        case 1: return "armpit"
        case 2: return "body (general)"
        case 3: return "ear"
        case 4: return "finger"
        case 5: return "gastro-intestinal tract"
        case 6: return "mouth"
        case 7: return "rectum"
        case 8: return "toe"
        case 9: return "tympanum"
        default: return nil
        }
    }

    /// The record key: no sequence number, so the time stamp, the FLOAT and the type as sent.
    public var recordKey: String {
        "hts|\(timeStamp?.description ?? "-")|\(String(temperatureFLOAT, radix: 16))|\(fahrenheit ? "F" : "C")|\(temperatureType.map(String.init) ?? "-")"
    }

    /// The body temperature reading (8310-5, Cel or [degF], as sent), with the site. A record
    /// without a usable time stamp is refused.
    public func reading(profileID: String, serial: String, model: String) -> Result<Reading, GATTReadingProblem> {
        guard let value = temperature.exact else { return .failure(.notAReading(what: "temperature", temperature)) }
        guard let stamp = timeStamp else { return .failure(.noTime("the thermometer sent no time stamp")) }
        guard let time = stamp.localDateTime else { return .failure(.noTime("time stamp \(stamp)")) }
        var reading = Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey,
                              kind: .bodyTemperature, code: "8310-5", value: value, unit: fahrenheit ? "[degF]" : "Cel",
                              deviceTime: time, flags: [], raw: raw)
        reading.bodySite = bodySite
        return .success(reading)
    }
}
