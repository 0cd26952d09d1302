public import PocGateCore

/// Section 1, patient and acquisition data: tagged fields `tag u8, length u16, value`, ended
/// by tag 255. pocgate decodes the fields a reading needs and keeps the rest undecoded.
public struct SCPPatientData: Sendable, Hashable {
    /// Tag 2, patient identification (text, NUL-terminated).
    public var patientID: String?
    /// Tag 0, last name. Decoded for completeness; never logged, never uploaded by pocgate.
    public var lastName: String?
    /// Tag 1, first name. As `lastName`.
    public var firstName: String?
    /// Tag 8, sex: 0 not known, 1 male, 2 female, 9 unspecified.
    public var sex: UInt8?
    /// Tag 25, acquisition date: year, month, day.
    public var acquisitionDate: Date?
    /// Tag 26, acquisition time: hour, minute, second.
    public var acquisitionTime: Time?
    /// Tag 14, acquiring device: the 6-byte model description.
    public var deviceModel: String?
    /// Tag 14, acquiring device: the first text after the analysing-program revision, which
    /// pocgate reads as the device serial number (**U**: confirm with a real cart's file).
    public var deviceSerial: String?
    /// Tag 14, acquiring device: the device id number.
    public var deviceID: Int?
    /// Tag 4, age: value u16 and unit u8 (1 years, 2 months, 3 weeks, 4 days, 5 hours); nil
    /// when absent, 0 ("not entered") or in an unknown unit.
    public var age: ECGAge?
    /// Tag 27, high-pass (baseline) filter cut-off in 0.01 Hz; nil when absent or 0.
    public var highPassCentihertz: Int?
    /// Tag 28, low-pass filter cut-off in Hz; nil when absent or 0.
    public var lowPassHertz: Int?
    /// Tag 29, filter bit map: bit 0 60 Hz notch, bit 1 50 Hz notch, bit 2 artifact filter.
    public var filterBitmap: UInt8?
    /// Every field's tag, in order, for diagnostics.
    public var tags: [UInt8] = []

    /// A calendar date as tag 25 carries it.
    public struct Date: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
    }

    /// A time of day as tag 26 carries it.
    public struct Time: Sendable, Hashable {
        public var hour: Int
        public var minute: Int
        public var second: Int
    }

    public init() {}

    /// Decodes a section 1 body. A field that runs past the section is an error; a section
    /// that ends without the 255 terminator is accepted (some writers omit it).
    init(_ section: SCPSection) throws(SCPProblem) {
        var c = SCPCursor(section.body, section: 1)
        while c.remaining > 0 {
            let tag = try c.u8("a tag")
            if tag == 255 { break }
            let length = Int(try c.u16("the length of tag \(tag)"))
            let value = try c.take(length, "the value of tag \(tag)")
            tags.append(tag)
            switch tag {
            case 0: lastName = Self.text(value)
            case 1: firstName = Self.text(value)
            case 2: patientID = Self.text(value)
            case 4 where length == 3:
                let s = value.startIndex
                let years = Int(SCPBytes.u16(value, s))
                if years > 0, let unit = ECGAge.ucum(scpUnit: value[s + 2]) { age = ECGAge(value: years, unit: unit) }
            case 8 where length == 1: sex = value.first
            case 27 where length == 2:
                let v = Int(SCPBytes.u16(value, value.startIndex))
                highPassCentihertz = v == 0 ? nil : v
            case 28 where length == 2:
                let v = Int(SCPBytes.u16(value, value.startIndex))
                lowPassHertz = v == 0 ? nil : v
            case 29 where length == 1: filterBitmap = value.first
            case 14: readDevice(value)
            case 25:
                guard length == 4 else { throw .malformed(section: 1, "acquisition date (tag 25) is \(length) bytes, not 4") }
                let s = value.startIndex
                acquisitionDate = Date(year: Int(SCPBytes.u16(value, s)), month: Int(value[s + 2]), day: Int(value[s + 3]))
            case 26:
                guard length == 3 else { throw .malformed(section: 1, "acquisition time (tag 26) is \(length) bytes, not 3") }
                let s = value.startIndex
                acquisitionTime = Time(hour: Int(value[s]), minute: Int(value[s + 1]), second: Int(value[s + 2]))
            default: break
            }
        }
    }

    /// Tag 14: institution u16, department u16, device id u16, device type u8, manufacturer
    /// u8, model description 6 bytes, protocol revision, compatibility, language, capabilities,
    /// mains frequency (u8 each), 16 reserved bytes, then the analysing program revision
    /// (length u8 + text) and NUL-terminated texts, the first of which is read as the serial.
    mutating func readDevice(_ value: ArraySlice<UInt8>) {
        let s = value.startIndex
        guard value.count >= 36 else { return }
        deviceID = Int(SCPBytes.u16(value, s + 4))
        deviceModel = Self.text(value[(s + 8)..<(s + 14)])
        let revisionLength = Int(value[s + 35])
        let textsStart = s + 36 + revisionLength
        guard textsStart < value.endIndex else { return }
        let rest = value[textsStart...]
        let serialBytes = rest.prefix { $0 != 0 }
        deviceSerial = Self.text(serialBytes)
    }

    /// A text field: up to the first NUL, trimmed of spaces; nil when empty or not UTF-8.
    static func text(_ bytes: ArraySlice<UInt8>) -> String? {
        let raw = bytes.prefix { $0 != 0 }
        guard let s = String(validating: raw, as: UTF8.self) else { return nil }
        let trimmed = s.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}
