import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Testing

/// `profiles.watch`, `profiles.watch_debounce_ms` and `bluetooth.devices`.
@Suite struct DeviceRuntimeConfigTests {
    static let base = """
        uplink:
          url: https://center.example/fhir
        """

    @Test func defaultsWatchAndKnowNoNames() throws {
        let c = try GatewayConfig.parse(Self.base, file: "c.yaml")
        #expect(c.profilesWatch && c.profilesWatchDebounceMillis == 1_000 && c.bluetoothNames.isEmpty)
    }

    @Test func readsTheKeys() throws {
        let c = try GatewayConfig.parse(Self.base + """

            profiles:
              paths: [/etc/pocgate/profiles.d]
              watch: false
              watch_debounce_ms: 250
            bluetooth:
              devices:
                - address: "00:1a:7d:da:71:13"
                  name: BPM-300 0042
            """, file: "c.yaml")
        #expect(!c.profilesWatch && c.profilesWatchDebounceMillis == 250)
        #expect(c.bluetoothNames == ["00:1A:7D:DA:71:13": "BPM-300 0042"])
    }

    @Test(arguments: [
        ("profiles:\n  watch_debounce_ms: 10", "profiles.watch_debounce_ms"),
        ("bluetooth:\n  devices:\n    - address: \"zz\"\n      name: x", "must be a Bluetooth address"),
        ("bluetooth:\n  devices:\n    - address: \"00:11:22:33:44:55\"", "name"),
        ("bluetooth:\n  devices:\n    - {address: \"00:11:22:33:44:55\", name: a}\n    - {address: \"00-11-22-33-44-55\", name: b}", "listed twice"),
        ("bluetooth:\n  names: []", "unknown key 'bluetooth.names'"),
    ])
    func badValuesAreRefused(extra: String, expected: String) {
        #expect {
            _ = try GatewayConfig.parse(Self.base + "\n" + extra, file: "c.yaml")
        } throws: { error in
            (error as? YAMLIssue)?.description.contains(expected) == true
        }
    }
}
