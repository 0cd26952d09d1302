/// What pocgate may ever send to a kiosk's measurement board, as an allow-list of exact byte
/// strings. Everything else is refused: starting a cuff inflation (40 01), NIBP calibration and
/// leak tests (40 11–16), patient-type and module settings (40 04, 41 03), thermometer mode
/// (72 03), strip-meter type (E0 01), USB mode, firmware update (F0 …), restarts, ECG and
/// ID-card commands.
public enum AA55Command: Sendable, CaseIterable {
    /// 80 zero bytes: wakes the board before the handshake.
    case wake
    /// `AA 55 FF 02 01 CA`: handshake.
    case handshake
    /// `AA 55 FF 02 03 76`: query the battery state.
    case queryBattery
    /// `AA 55 E0 02 02 3D`: ask which strip meter is fitted (names strip test 03).
    case queryStripMeterKind

    /// The bytes on the wire.
    public var bytes: [UInt8] {
        switch self {
        case .wake: return [UInt8](repeating: 0, count: 80)
        case .handshake: return AA55Frame(token: 0xFF, body: [0x01])!.bytes
        case .queryBattery: return AA55Frame(token: 0xFF, body: [0x03])!.bytes
        case .queryStripMeterKind: return AA55Frame(token: 0xE0, body: [0x02])!.bytes
        }
    }

    /// Whether `bytes` are exactly one allowed command.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        allCases.contains { $0.bytes == bytes }
    }
}
