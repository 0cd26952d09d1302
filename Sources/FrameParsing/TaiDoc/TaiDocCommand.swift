/// The TaiDoc commands pocgate knows, and the policy of which ones may ever be sent.
///
/// The gateway only reads. The policy is an allow-list: a command not listed here as
/// read-only (clear memory 0x52, set clock 0x33, anything unknown) can never leave the port.
public enum TaiDocCommand: UInt8, Sendable, CaseIterable {
    /// Wake the meter / open communication.
    case connect = 0x22
    /// Read the meter clock.
    case readClock = 0x23
    /// Read the model ("project code"), BCD little-endian in d0 d1.
    case readModel = 0x24
    /// Read the time of record N.
    case readRecordTime = 0x25
    /// Read the value and flags of record N.
    case readRecordValue = 0x26
    /// Read the second half of the serial number.
    case readSerialLow = 0x27
    /// Read the first half of the serial number.
    case readSerialHigh = 0x28
    /// Read the firmware version (format unknown).
    case readFirmware = 0x29
    /// Read the number of stored records.
    case readRecordCount = 0x2B
    /// Write the meter clock. NEVER sent: it would shift every stored time.
    case setClock = 0x33
    /// Power the meter off (harmless; ends a session).
    case powerOff = 0x50
    /// Clear the meter's memory. NEVER sent: it destroys patient data.
    case clearMemory = 0x52
    /// Reply only: "entering communication mode".
    case communicationMode = 0x54

    /// Whether the gateway may send this command. Only reads and power-off.
    public var isSendable: Bool {
        switch self {
        case .connect, .readClock, .readModel, .readRecordTime, .readRecordValue,
             .readSerialLow, .readSerialHigh, .readFirmware, .readRecordCount, .powerOff:
            return true
        case .setClock, .clearMemory, .communicationMode:
            return false
        }
    }

    /// Whether `bytes` are a frame the gateway may write: a well-formed host→meter TaiDoc frame
    /// whose command is on the allow-list. Everything else is refused.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == TaiDocFrame.length, bytes[0] == TaiDocFrame.start,
              bytes[6] == TaiDocFrame.Direction.hostToMeter.rawValue,
              bytes[7] == Checksum.sum8(bytes[0..<7]),
              let command = TaiDocCommand(rawValue: bytes[1]) else { return false }
        return command.isSendable
    }
}
