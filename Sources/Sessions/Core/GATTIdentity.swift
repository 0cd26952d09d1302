import FrameParsing
import Logging
import PocGateCore

/// Who a SIG-profile device is and what its clock says, from the optional Device Information
/// (0x180A: model 0x2A24, serial 0x2A25) and Current Time (0x1805: 0x2A2B) services. A device
/// without a serial is named by `fallbackSerial` (its Bluetooth address); one without a model
/// by the profile's name; one without Current Time has an unreadable clock (its readings'
/// times are then checked without an offset).
struct GATTIdentity {
    var serial: String
    var model: String
    var clock: LocalDateTime?

    static let deviceInformation = ReadOnlyGATT.sig(0x180A)
    static let currentTimeService = ReadOnlyGATT.sig(0x1805)

    /// Reads what the device has; a read that fails is logged and left out, never fatal.
    static func read(_ gatt: ReadOnlyGATT, fallbackSerial: String, defaultModel: String, logger: Logger) -> GATTIdentity {
        func text(_ uuid: UInt16, _ what: String) -> String? {
            let c = ReadOnlyGATT.sig(uuid)
            guard gatt.has(deviceInformation, c) else { return nil }
            do {
                let (t, _) = GATTDeviceInformation.string(try gatt.read(deviceInformation, c), what: what)
                return t.isEmpty ? nil : t
            } catch {
                logger.debug("device information not readable", metadata: ["characteristic": "\(what)", "error": "\(error)"])
                return nil
            }
        }
        var identity = GATTIdentity(serial: text(GATTDeviceInformation.serialNumberUUID, "serial") ?? fallbackSerial,
                                    model: text(GATTDeviceInformation.modelNumberUUID, "model") ?? defaultModel, clock: nil)
        let time = ReadOnlyGATT.sig(GATTCurrentTime.uuid)
        if gatt.has(currentTimeService, time) {
            do {
                identity.clock = try GATTCurrentTime.decode(try gatt.read(currentTimeService, time)).dateTime.localDateTime
            } catch {
                logger.debug("current time not readable", metadata: ["error": "\(error)"])
            }
        }
        return identity
    }
}
