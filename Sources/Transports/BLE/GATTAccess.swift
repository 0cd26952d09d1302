/// One value a GATT device sent on a characteristic the session subscribed to: a notification
/// or an indication, with the characteristic's UUID (canonical lower case).
public struct GATTValue: Sendable, Equatable {
    public var characteristic: String
    public var bytes: [UInt8]

    public init(characteristic: String, bytes: [UInt8]) {
        self.characteristic = characteristic
        self.bytes = bytes
    }
}

/// The characteristics of one connected GATT device, by UUID, for a session of a Bluetooth
/// SIG profile (Glucose, Blood Pressure) that needs more than one characteristic. The BLE
/// transport implements it; sessions see only this. UUIDs are canonical lower case
/// (`BluetoothUUID.canonical`).
///
/// A session subscribes before it writes (a Record Access Control Point refuses a write while
/// its indications are off), and puts every write behind its family's allow-list.
public protocol GATTAccess: AnyObject {
    /// Whether the device offers `characteristic` in `service`.
    func has(service: String, characteristic: String) -> Bool
    /// Enables notifications or indications (StartNotify); values then arrive by `nextValue`.
    func subscribe(service: String, characteristic: String) throws(LinkError)
    /// Reads the characteristic's value once.
    func read(service: String, characteristic: String) throws(LinkError) -> [UInt8]
    /// Writes with response (an ATT Write Request): returns when the device acknowledged it.
    func writeWithResponse(service: String, characteristic: String, _ bytes: [UInt8]) throws(LinkError)
    /// The next value of a subscribed characteristic, waiting up to `timeoutMillis`; nil on
    /// timeout. Throws `.unplugged` after the values already queued once the device is gone.
    func nextValue(timeoutMillis: Int) throws(LinkError) -> GATTValue?
}
