internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension UplinkProbe {
    /// Runs the probe with the uplink's own TLS, client certificate, proxy and timeouts.
    public static func run(settings: UplinkSettings) -> Outcome {
        let client: HTTPSClient
        do {
            client = try HTTPSClient(options: settings.clientOptions)
        } catch {
            return .serverTrouble(detail: error.description)
        }
        do {
            let response = try client.get(url: metadataURL(base: settings.url), headers: ["Accept: application/fhir+json"])
            return judge(response)
        } catch {
            return classify(error)
        }
    }

    /// Judges an HTTP answer to the `metadata` read.
    static func judge(_ response: HTTPResponse) -> Outcome {
        switch response.status {
        case 200...299:
            break
        case 401, 403, 407:
            return .authenticationRefused(status: response.status)
        case 404, 405, 406, 410:
            return .notFHIRR4(detail: "HTTP \(response.status) for /metadata")
        default:
            return .serverTrouble(detail: "HTTP \(response.status)")
        }
        guard let object = JSONReader.parse(response.body) as? [String: Any],
              object["resourceType"] as? String == "CapabilityStatement" else {
            return .notFHIRR4(detail: "the answer to /metadata is not a FHIR CapabilityStatement")
        }
        let version = object["fhirVersion"] as? String ?? "unknown"
        guard version.hasPrefix("4.0") else {
            return .notFHIRR4(detail: "the server speaks FHIR \(version), pocgate sends R4 (4.0.x)")
        }
        let software = (object["software"] as? [String: Any]).flatMap { software -> String? in
            guard let name = software["name"] as? String else { return nil }
            return [name, software["version"] as? String].compactMap { $0 }.joined(separator: " ")
        }
        return .ready(fhirVersion: version, software: software)
    }
}
