/// Writes a protocol family is known to have, recognised by the shape of a declarative frame:
/// bytes that change a device (clock set, memory clear) whatever a profile calls them. A
/// declarative profile may describe such a device without listing those commands, so the
/// transmit allow-list refuses them by their bytes, not by a command's name.
public enum FamilyWrites {
    /// The known write that `bytes` are, as a technician reads it, or nil.
    ///
    /// TaiDoc TD-42xx frames (`51 cmd d0 d1 d2 d3 dir sum`, 8 bytes): command 0x33 sets the
    /// meter's clock and 0x52 clears its memory (`TaiDocCommand`).
    public static func write(_ bytes: [UInt8], frame: FrameSpec) -> String? {
        guard isTaiDocShaped(frame), bytes.count == TaiDocFrame.length, bytes[0] == TaiDocFrame.start else { return nil }
        switch TaiDocCommand(rawValue: bytes[1]) {
        case .setClock: return "the TaiDoc set-clock command (0x33)"
        case .clearMemory: return "the TaiDoc clear-memory command (0x52)"
        default: return nil
        }
    }

    /// Whether the frame is TaiDoc's: start byte 0x51, 8 bytes.
    public static func isTaiDocShaped(_ frame: FrameSpec) -> Bool {
        frame.start == [TaiDocFrame.start] && frame.length == .fixed(TaiDocFrame.length)
    }
}
