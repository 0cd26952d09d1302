/// Why an SCP-ECG record was refused. Every case names the section and what a technician
/// or the cart's vendor can check; none is fatal to the gateway.
public enum SCPProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The record or a section ends before a field it declares.
    case truncated(String)
    /// The record length field disagrees with the bytes received.
    case recordLength(declared: Int, actual: Int)
    /// The record CRC (bytes 2…end) does not match.
    case recordCRC(computed: UInt16, carried: UInt16)
    /// A section's CRC (its bytes 2…end) does not match.
    case sectionCRC(id: Int, computed: UInt16, carried: UInt16)
    /// A section 0 pointer names bytes outside the record.
    case pointerOutside(id: Int, index: Int, length: Int, recordLength: Int)
    /// The section a pointer names has another id or length in its own header.
    case sectionHeaderMismatch(id: Int, found: Int, length: Int, headerLength: Int)
    /// A section the waveform needs is absent.
    case missingSection(Int)
    /// A field holds a value the standard does not allow.
    case malformed(section: Int, String)
    /// Valid SCP-ECG that this decoder does not implement (named, never decoded to garbage).
    case unsupported(String)
    /// The compressed samples of one lead cannot be decoded.
    case leadData(lead: String, String)
    /// The record carries no usable acquisition date and time.
    case noAcquisitionTime(String)

    public var description: String {
        switch self {
        case let .truncated(what): return "SCP-ECG record truncated: \(what)"
        case let .recordLength(declared, actual):
            return "SCP-ECG record length field says \(declared) bytes but \(actual) were received"
        case let .recordCRC(computed, carried):
            return "SCP-ECG record CRC mismatch: computed 0x\(String(computed, radix: 16)), record carries 0x\(String(carried, radix: 16)); the transfer was damaged, resend from the cart"
        case let .sectionCRC(id, computed, carried):
            return "SCP-ECG section \(id) CRC mismatch: computed 0x\(String(computed, radix: 16)), section carries 0x\(String(carried, radix: 16))"
        case let .pointerOutside(id, index, length, recordLength):
            return "SCP-ECG section \(id) pointer (index \(index), length \(length)) lies outside the \(recordLength)-byte record"
        case let .sectionHeaderMismatch(id, found, length, headerLength):
            return "SCP-ECG pointer to section \(id) (length \(length)) finds section \(found) of length \(headerLength)"
        case let .missingSection(id): return "SCP-ECG record has no section \(id); the waveform cannot be decoded without it"
        case let .malformed(section, why): return "SCP-ECG section \(section): \(why)"
        case let .unsupported(what): return "SCP-ECG feature not supported by pocgate: \(what); export the ECG uncompressed or without reference-beat subtraction"
        case let .leadData(lead, why): return "SCP-ECG lead \(lead): \(why)"
        case let .noAcquisitionTime(why): return "SCP-ECG record has no usable acquisition time: \(why)"
        }
    }
}
