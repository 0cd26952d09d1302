import Daemon
package import PocGateCore

/// One line of `pocgate devices --json`: `{"event":"port"|"added"|"removed","port":{…},
/// "profile":"id"|null,"why":"…"|null[,"problem":"…"][,"ble":{…}]}` (`problem`: what the running
/// daemon found wrong with the device, only when it reports one; `ble`: RSSI, connected and
/// paired of a Bluetooth LE device), `{"event":"note","note":"…"}` (what was not listed: BlueZ
/// not reachable, devices over the cap), or just `{"event":"done"|"ready"|"stopped"}`.
///
/// `port` keeps `PortDescription`'s own Codable shape (its `transport` is `tty`, `hidraw` or
/// `ble`); `profile` and `why` are always present on port events, null when they do not apply.
package struct DeviceLine: Encodable {
    package var event: String
    package var port: PortDescription?
    package var verdict: PortVerdict?
    package var link: BLELinkState?
    package var note: String?

    package init(_ event: String, _ port: PortDescription? = nil, _ verdict: PortVerdict? = nil, link: BLELinkState? = nil) {
        self.event = event
        self.port = port
        self.verdict = verdict
        self.link = link
    }

    /// A `note` line.
    package init(note: String) {
        self.event = "note"
        self.note = note
    }

    private enum Key: String, CodingKey {
        case event, port, profile, why, problem, ble, note
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(event, forKey: .event)
        if let note { try container.encode(note, forKey: .note) }
        guard let port else { return }
        try container.encode(port, forKey: .port)
        if let profile = verdict?.profile {
            try container.encode(profile, forKey: .profile)
        } else {
            try container.encodeNil(forKey: .profile)
        }
        if let why = verdict?.why {
            try container.encode(why, forKey: .why)
        } else {
            try container.encodeNil(forKey: .why)
        }
        if let problem = verdict?.problem { try container.encode(problem, forKey: .problem) }
        if let link { try container.encode(link, forKey: .ble) }
    }
}
