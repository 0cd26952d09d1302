/// Which LifeScan meter a live session talks to (a profile's `lifescan.meter`): the dialect
/// prefix alone does not tell it, since the Verio 2015 and the Verio IQ share 0x03.
public enum LifeScanMeter: String, Sendable, CaseIterable {
    /// UltraEasy / UltraMini: link-control bits, acknowledges, prefix 0x05.
    case ultraEasy = "ultra-easy"
    /// Verio IQ: link-control byte always 0, no acknowledges, prefix 0x03.
    case verioIQ = "verio-iq"

    /// The model name its readings carry.
    public var modelName: String {
        switch self {
        case .ultraEasy: return LifeScanDialect.ultraEasy.modelName
        case .verioIQ: return "OneTouch Verio IQ"
        }
    }
}
