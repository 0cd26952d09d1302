import Uplink

/// libFuzzer target for the configuration loader (`GatewayConfig.parse`, compiled here with
/// the rest of `Sources/Daemon/Config`, over `DeviceProfiles`' YAML reader and the system
/// libyaml): any bytes either load or are refused with one `YAMLIssue` whose message is bounded, holds no raw
/// control character and names its place (line and column), except the few refusals of the
/// whole file (too big, empty, not YAML at all). Crashes and stack exhaustion in the YAML
/// composer are caught by the sanitizer; `-timeout` and `-rss_limit_mb` bound time and memory.
/// The control flag wraps the input as the value of `uplink.url` of an otherwise good file.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let all = UnsafeBufferPointer(start: data, count: size)
    guard let first = all.first else { return 0 }
    let rest = Array(all.dropFirst())
    guard var text = String(validating: rest, as: UTF8.self) else { return 0 }
    if first & 1 == 1 { text = "uplink:\n  url: \(text)\nstore:\n  path: /var/lib/pocgate/pocgate.db\n" }
    do {
        let config = try GatewayConfig.parse(text, file: "fuzz.yaml")
        DecoderInvariants.expect(config.uplinkURL.utf8.count <= ConfigLimits.urlBytes && config.storePath.utf8.count <= ConfigLimits.pathBytes
                    && !config.storePath.utf8.contains(0) && config.profilePaths.count <= ConfigLimits.profilePaths
                    && UplinkSettings.urlProblem(config.uplinkURL) == nil,
                  "a loaded configuration breaks a limit")
    } catch {
        let line = error.description
        DecoderInvariants.expect(line.unicodeScalars.count <= ConfigLimits.messageCharacters + 120, "refusal of \(line.utf8.count) bytes")
        DecoderInvariants.expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "raw control character in a refusal")
        DecoderInvariants.expect(error.line > 0 || fileLevel.contains { error.message.hasPrefix($0) }, "refusal without a place: \(line)")
    }
    return 0
}

/// Refusals of the file as a whole, which have no line.
let fileLevel = ["the configuration is", "the file is empty", "not valid YAML", "the document must be a mapping"]

func fuzzSeeds() -> [[UInt8]] {
    let good = """
        gateway:
          id: clinic-01
        store:
          path: /var/lib/pocgate/pocgate.db
          max_size_mb: 1024
        profiles:
          paths: [/usr/share/pocgate/profiles, /etc/pocgate/profiles]
        bluetooth:
          devices:
            - {address: "00:1A:7D:DA:71:13", name: "FORA P30"}
        uplink:
          url: https://center.example/fhir
          time_zone: Asia/Shanghai
          units: {glucose: mmol/L}
          retry_after_max_s: 3600
        log: {level: info, target: auto}
        clock: {earliest_year: 2015}
        patients: {binding: center}
        status: {path: /run/pocgate/status.json}

        """
    return [[0] + Array(good.utf8), [1] + Array("https://u:p@127.0.0.1.nip.io/\r\n".utf8),
            [0] + Array(("x: " + String(repeating: "[", count: 2_000)).utf8),
            [0] + Array(("uplink:\n  url: \"https://a/\\0\"\n" + String(repeating: "- ", count: 100)).utf8)]
}
