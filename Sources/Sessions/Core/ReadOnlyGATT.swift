import PocGateCore
public import Transports

/// A device's GATT characteristics as a SIG-profile session may use them: subscribing and
/// reading freely, writing only what the family's allow-list passes (the gateway never changes
/// a device: no RACP delete or abort, no clock set). A refused write never reaches the device.
public final class ReadOnlyGATT {
    private let inner: any GATTAccess
    private let mayWrite: @Sendable (_ characteristic: String, _ bytes: [UInt8]) -> Bool

    /// - Parameter mayWrite: the family's allow-list, by characteristic UUID and bytes.
    public init(_ inner: any GATTAccess, mayWrite: @escaping @Sendable (_ characteristic: String, _ bytes: [UInt8]) -> Bool) {
        self.inner = inner
        self.mayWrite = mayWrite
    }

    public func has(_ service: String, _ characteristic: String) -> Bool {
        inner.has(service: service, characteristic: characteristic)
    }

    public func subscribe(_ service: String, _ characteristic: String) throws(LinkError) {
        try inner.subscribe(service: service, characteristic: characteristic)
    }

    public func read(_ service: String, _ characteristic: String) throws(LinkError) -> [UInt8] {
        try inner.read(service: service, characteristic: characteristic)
    }

    /// Writes with response when the allow-list passes `bytes` for `characteristic`, else
    /// throws `forbiddenWrite` without writing.
    public func write(_ service: String, _ characteristic: String, _ bytes: [UInt8]) throws(LinkError) {
        guard mayWrite(characteristic, bytes) else {
            throw .forbiddenWrite(hex: BluetoothUUID.short(characteristic) + ": " + bytes.map { b in
                let s = String(b, radix: 16, uppercase: true)
                return s.count == 1 ? "0" + s : s
            }.joined(separator: " "))
        }
        try inner.writeWithResponse(service: service, characteristic: characteristic, bytes)
    }

    public func nextValue(timeoutMillis: Int) throws(LinkError) -> GATTValue? {
        try inner.nextValue(timeoutMillis: timeoutMillis)
    }

    /// The canonical UUID of a SIG-assigned 16-bit UUID (`0x2A18` →
    /// `00002a18-0000-1000-8000-00805f9b34fb`).
    public static func sig(_ short: UInt16) -> String {
        let hex = String(short, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex + BluetoothUUID.baseTail
    }
}
