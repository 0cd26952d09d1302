/// The one-line `STATUS=` text `systemctl status pocgate` shows. It names only what changes
/// with events (devices, queue, last upload), never a clock, so an idle daemon sends nothing.
package enum StatusLine {
    package static let maximumLength = 200

    package static func text(_ status: RuntimeStatus) -> String {
        var parts: [String] = []
        if let stalled = status.stalled { parts.append("STALLED: \(stalled) makes no progress") }
        switch status.state {
        case .starting: parts.append("Starting")
        case .reloading: parts.append("Reloading device profiles")
        case .stopping, .stopped: parts.append("Stopping")
        case .running: break
        }
        parts.append(devices(status.devices))
        if let depth = status.queueDepth {
            parts.append(depth == 0 ? "queue empty" : "\(depth) reading\(depth == 1 ? "" : "s") queued")
        }
        if let upload = status.lastUpload {
            parts.append(upload.ok ? "last upload ok (\(upload.detail))" : "last upload failed: \(upload.detail)")
        }
        let line = parts.joined(separator: "; ")
        return line.count <= maximumLength ? line : String(line.prefix(maximumLength - 1)) + "…"
    }

    private static func devices(_ devices: [DeviceStatus]) -> String {
        switch devices.count {
        case 0: return "no devices connected"
        case 1: return "1 device: \(devices[0].devnode) (\(devices[0].profile))"
        default: return "\(devices.count) devices: " + devices.map(\.devnode).joined(separator: ", ")
        }
    }
}
