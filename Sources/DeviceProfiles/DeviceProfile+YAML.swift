import PocGateCore
import FrameParsing

extension DeviceProfile {
    /// Parses and validates a profile. Every problem is a `YAMLIssue` with file:line:column.
    /// `families` are the protocol families the profile may name (`FamilyTable.builtIn`).
    public static func parse(_ text: String, file: String, families: FamilyTable) throws(YAMLIssue) -> DeviceProfile {
        let checked = check(text, file: file, families: families)
        if let first = checked.errors.first { throw first }
        return checked.profile!
    }

    /// Parses and validates a profile, collecting every error it can find (a declarative
    /// profile's records, readings and steps are checked one by one) and the warnings.
    public static func check(_ text: String, file: String, families: FamilyTable) -> ProfileCheck {
        var warnings: [YAMLIssue] = []
        do {
            let (profile, declarativeErrors) = try parseCollecting(text, file: file, families: families, warnings: &warnings)
            return ProfileCheck(profile: declarativeErrors.isEmpty ? profile : nil, errors: declarativeErrors, warnings: warnings)
        } catch {
            return ProfileCheck(profile: nil, errors: [error], warnings: warnings)
        }
    }

    private static func parseCollecting(_ text: String, file: String, families: FamilyTable,
                                        warnings: inout [YAMLIssue]) throws(YAMLIssue) -> (DeviceProfile, [YAMLIssue]) {
        let top = try YAMLMap.parse(text, file: file)
        let id = try top.string("id", required: true)!
        guard id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
            throw top.issue("id", "'id' may contain only ASCII letters, digits, '-', '_' and '.'")
        }
        let version = try top.int("version", in: 1...1_000_000, required: true)!
        let name = try top.string("name", required: true)!
        let kind = try top.choice("kind", from: DeviceProfile.kinds) ?? "glucose-meter"
        let protoName = try top.choice("protocol", from: families.ids)
        guard let protoName, let traits = families[ProtocolFamily(protoName)] else {
            throw top.issue("protocol", "missing required key 'protocol' (one of \(families.ids.joined(separator: ", ")))")
        }
        let proto = traits.family
        let transportName = try top.choice("transport", from: ProfileTransport.allCases.map(\.rawValue))
        let transport = transportName.flatMap(ProfileTransport.init(rawValue:)) ?? .tty
        var match = try parseMatch(try top.map("match", required: true)!)
        match.portTransport = transport.opens
        let line = try transport.hasLineSettings
            ? parseLine(try top.map("line", required: true)!)
            : (top.map("line").map(parseLine) ?? LineSettings(baud: 9600))
        let sessionMap = try top.map("session")
        var session = SessionSettings()
        var declarative: DeclarativeSpec?
        var errors: [YAMLIssue] = []
        let enabled = try top.bool("enabled") ?? true
        let analyteTables = try top.strings("analytes") ?? []
        let charsetName = try top.choice("charset", from: ASTMCharset.allCases.map(\.rawValue))
        if proto == .declarative {
            var parser = DeclarativeParser()
            if let sessionMap { session = try parseSessionSettings(sessionMap) }
            declarative = parser.parse(top: top, session: sessionMap, defaults: session)
            errors = parser.errors
            warnings += parser.warnings
            try sessionMap?.finish()
        } else {
            session = try sessionMap.map(parseSession) ?? SessionSettings()
        }
        if transport.hasLineSettings, let w = ProfileLint.baudWarning(traits, spec: declarative, baud: line.baud) {
            warnings.append(YAMLIssue(file: file, line: lineLocation(top).line, column: lineLocation(top).column, message: w))
        }
        if session.quietTimeSeconds != nil, let w = ProfileLint.quietTimeWarning(traits, spec: declarative), let s = sessionMap {
            let at = s.issue("quiet_time_s", "")
            warnings.append(YAMLIssue(file: file, line: at.line, column: at.column, message: w))
        }
        let bleSerial = try top.map("ble").map { (b: YAMLMap) throws(YAMLIssue) in try parseBLESerial(b, transport: transport) }
        if transport == .bleUART, bleSerial == nil {
            throw top.issue("transport", "'transport: ble-uart' needs a 'ble' section naming the service and the write and notify characteristics")
        }
        let taidoc = try top.map("taidoc").map { (t: YAMLMap) throws(YAMLIssue) in try parseTaiDoc(t, traits: traits) }
        let lifescan = try top.map("lifescan").map { (l: YAMLMap) throws(YAMLIssue) in try parseLifeScan(l, traits: traits) }
        try top.finish()
        var profile = DeviceProfile(id: id, version: version, name: name, kind: kind, protocol: proto, match: match,
                                    line: line, session: session, sourceFile: file, contentHash: FNV1a.hex64(Array(text.utf8)))
        profile.transport = transport
        profile.declarative = declarative.map(DeclarativePlan.init)
        profile.hasLiveSession = traits.hasLiveSession(declarative: profile.declarative)
        profile.enabled = enabled
        profile.analyteTableIDs = analyteTables
        profile.charset = charsetName.flatMap(ASTMCharset.init(rawValue:)) ?? .utf8
        profile.taidocModels = taidoc
        profile.lifescanMeter = lifescan
        profile.bleSerial = bleSerial
        return (profile, errors)
    }

    /// Where `line.baud` is, for the warning about it.
    private static func lineLocation(_ top: YAMLMap) -> (line: Int, column: Int) {
        guard let l = try? top.map("line") else { return (0, 0) }
        let i = l.issue("baud", "")
        return (i.line, i.column)
    }

    private static func parseMatch(_ m: YAMLMap) throws(YAMLIssue) -> MatchRules {
        var rules: [USBMatch] = []
        for u in try m.maps("usb") ?? [] {
            let vendor = try u.int("vendor", in: 0...0xFFFF, required: true)!
            let product = try u.int("product", in: 0...0xFFFF, required: true)!
            rules.append(USBMatch(vendorID: UInt16(vendor), productID: UInt16(product),
                                  manufacturer: try u.string("manufacturer"), product: try u.string("product_name"),
                                  serialPrefix: try u.string("serial_prefix"),
                                  interface: try u.int("interface", in: 0...255)))
            try u.finish()
        }
        let bluetooth = try parseBluetooth(m)
        guard !rules.isEmpty || !bluetooth.isEmpty else {
            throw m.issue("usb", "'match' needs at least one rule under 'usb' (vendor and product ids) or 'bluetooth' "
                          + "(address, oui or name_prefix), or the profile matches nothing")
        }
        let probeOrder = try m.int("probe_order", in: 0...1_000_000)
        try m.finish()
        return MatchRules(usb: rules, bluetooth: bluetooth, probeOrder: probeOrder)
    }

    /// `match.bluetooth`: a list of `{address | oui, name_prefix}` rules.
    private static func parseBluetooth(_ m: YAMLMap) throws(YAMLIssue) -> [BluetoothMatch] {
        var rules: [BluetoothMatch] = []
        for b in try m.maps("bluetooth") ?? [] {
            var rule = BluetoothMatch()
            if let text = try b.string("address") {
                guard let address = BluetoothIdentity.canonicalAddress(text) else {
                    throw b.issue("address", "'\(b.path).address' must be a Bluetooth address such as \"00:11:22:33:44:55\" (quote it), not '\(ProfileLimits.quoted(text))'")
                }
                rule.address = address
            }
            if let text = try b.string("oui") {
                guard let oui = BluetoothIdentity.canonicalOUI(text) else {
                    throw b.issue("oui", "'\(b.path).oui' must be the first three bytes of an address such as \"00:11:22\" (quote it), not '\(ProfileLimits.quoted(text))'")
                }
                rule.oui = oui
            }
            rule.namePrefix = try b.string("name_prefix")
            if let text = try b.string("service") {
                guard let uuid = BluetoothUUID.canonical(text) else {
                    throw b.issue("service", "'\(b.path).service' must be a service UUID such as \"1808\" or \"00001523-1212-efde-1523-785feabcd123\" (quote it), not '\(ProfileLimits.quoted(text))'")
                }
                rule.service = uuid
            }
            if rule.address != nil, rule.oui != nil {
                throw b.issue("oui", "'\(b.path)' names both 'address' and 'oui': use one (the address already fixes the OUI)")
            }
            try b.finish()
            guard rule.address != nil || rule.oui != nil || rule.namePrefix != nil || rule.service != nil else {
                throw b.issue("address", "a 'match.bluetooth' rule needs 'address', 'oui', 'name_prefix' or 'service'")
            }
            rules.append(rule)
        }
        return rules
    }

    private static func parseLine(_ l: YAMLMap) throws(YAMLIssue) -> LineSettings {
        let baud = try l.int("baud", in: 1...4_000_000, required: true)!
        guard LineSettings.supportedBauds.contains(baud) else {
            throw l.issue("baud", "'line.baud' \(baud) is not a standard rate; use one of \(LineSettings.supportedBauds.map(String.init).joined(separator: ", "))")
        }
        let settings = LineSettings(
            baud: baud,
            dataBits: try l.int("data_bits", in: 5...8) ?? 8,
            parity: LineSettings.Parity(rawValue: try l.choice("parity", from: LineSettings.Parity.allCases.map(\.rawValue)) ?? "none")!,
            stopBits: try l.int("stop_bits", in: 1...2) ?? 1,
            flowControl: LineSettings.FlowControl(rawValue: try l.choice("flow_control", from: LineSettings.FlowControl.allCases.map(\.rawValue)) ?? "none")!)
        try l.finish()
        return settings
    }

    private static func parseSession(_ s: YAMLMap) throws(YAMLIssue) -> SessionSettings {
        let settings = try parseSessionSettings(s)
        try s.finish()
        return settings
    }

    private static func parseSessionSettings(_ s: YAMLMap) throws(YAMLIssue) -> SessionSettings {
        let d = SessionSettings()
        let settings = SessionSettings(
            replyTimeoutMillis: try s.int("reply_timeout_ms", in: 50...60_000) ?? d.replyTimeoutMillis,
            retries: try s.int("retries", in: 0...20) ?? d.retries,
            wakeAttempts: try s.int("wake_attempts", in: 1...100) ?? d.wakeAttempts,
            powerOffWhenDone: try s.bool("power_off_when_done") ?? d.powerOffWhenDone,
            pollIntervalSeconds: try s.int("poll_interval_s", in: 1...86_400) ?? d.pollIntervalSeconds,
            quietTimeSeconds: try s.int("quiet_time_s", in: 1...86_400))
        return settings
    }
}

/// FNV-1a, 64 bit: a cheap content fingerprint (not a security hash).
enum FNV1a {
    static func hex64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
