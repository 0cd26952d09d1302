public import PocGateCore

/// One Bluetooth rule: the remote device's address, or its vendor's OUI, optionally narrowed
/// (or, alone, given) by the start of its name and, for BLE, a service UUID it advertises.
///
/// Scores: an exact address 3, an OUI 1, a name prefix +1 (a name prefix alone 1), an
/// advertised service +1 (alone 1; only a BLE device advertises services). A name
/// prefix matches only when the port's name is known (configured in `bluetooth.devices`):
/// the kernel's RFCOMM tty does not carry it.
public struct BluetoothMatch: Sendable, Equatable {
    /// Exact address, canonical upper case `00:11:22:33:44:55`.
    public var address: String?
    /// The address's first three bytes, canonical `00:11:22`.
    public var oui: String?
    /// The device's name must start with this.
    public var namePrefix: String?
    /// A BLE device must advertise this service (canonical lower-case UUID).
    public var service: String?

    public init(address: String? = nil, oui: String? = nil, namePrefix: String? = nil, service: String? = nil) {
        self.address = address
        self.oui = oui
        self.namePrefix = namePrefix
        self.service = service
    }

    /// How specifically this rule matches `bt` (0 = not at all).
    public func score(_ bt: BluetoothIdentity) -> Int {
        var score = 0
        if let address {
            guard bt.address == address else { return 0 }
            score += 3
        }
        if let oui {
            guard bt.oui == oui else { return 0 }
            score += 1
        }
        if let namePrefix {
            guard bt.name?.hasPrefix(namePrefix) == true else { return 0 }
            score += 1
        }
        if let service {
            guard bt.services?.contains(service) == true else { return 0 }
            score += 1
        }
        return score
    }
}
