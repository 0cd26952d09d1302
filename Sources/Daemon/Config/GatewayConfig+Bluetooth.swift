package import DeviceProfiles
import PocGateCore

package extension GatewayConfig {
    /// `bluetooth.devices`: `[{address: "00:11:22:33:44:55", name: "BP-Monitor 123"}]`, the names
    /// of paired devices that profiles' `name_prefix` rules may match (sysfs does not carry them).
    static func parseBluetoothDevices(_ bluetooth: YAMLMap) throws(YAMLIssue) -> [String: String] {
        var names: [String: String] = [:]
        let devices = try bluetooth.maps("devices") ?? []
        guard devices.count <= ConfigLimits.bluetoothDevices else {
            throw bluetooth.issue("devices", "'bluetooth.devices' lists \(devices.count) devices; the most accepted is \(ConfigLimits.bluetoothDevices)")
        }
        for device in devices {
            let text = try device.string("address", required: true)!
            guard let address = BluetoothIdentity.canonicalAddress(text) else {
                throw device.issue("address", "'\(device.path).address' must be a Bluetooth address such as \"00:11:22:33:44:55\" (quote it), not '\(text)'")
            }
            guard names[address] == nil else {
                throw device.issue("address", "'\(device.path).address' \(address) is listed twice")
            }
            let name = try textValue(device, "name", maxBytes: ConfigLimits.textBytes, required: true)!
            try device.finish()
            names[address] = name
        }
        return names
    }
}
