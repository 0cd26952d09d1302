import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Logging
import PocGateCore
import Store
import TestSupport
import Testing
import Uplink

/// `pocgate verify-chain` on a real receiver's log: intact, and each kind of tampering found.
@Suite("verify-chain", .serialized)
struct ChainCheckTests {
    /// Four batches of one reading each, delivered to a real receiver; its log lines.
    static func receivedLog() throws -> (lines: [String], key: GatewayKey, directory: String) {
        let receiver = try HTTPSReceiver()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-chain-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try Store(path: directory + "/pocgate.db")
        let key = try GatewayKey.loadOrCreate(path: directory + "/gateway.key")
        let uplink = try Uplink(store: store, signer: BatchSigner(gatewayID: "gw-chain", key: key),
                                settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchSize: 1, batchMaxWaitMillis: 0),
                                logger: Logger(label: "test"))
        for i in 1...4 {
            let reading = Reading(profileID: "taidoc-td4277", deviceSerial: "METER", deviceModel: "TD-4277", recordKey: "k\(i)",
                                  kind: .glucose, code: "41653-7", value: ExactDecimal(parsing: "1\(i)0")!, unit: "mg/dL",
                                  deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: i), flags: [], raw: [1])
            _ = try store.insert(reading, sessionID: nil, receivedAtMillis: 1)
            #expect(uplink.drainOnce(nowMillis: 10) == .delivered(count: 1))
        }
        let text = try String(contentsOfFile: receiver.requestsFile, encoding: .utf8)
        return (text.split(separator: "\n").map(String.init), key, directory)
    }

    func check(_ lines: [String], _ key: GatewayKey, in directory: String) throws -> (text: String, intact: Bool) {
        let file = directory + "/received-\(UUID().uuidString.prefix(6)).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return try ChainCheck.run(publicKey: key.publicKeyPEM, gatewayID: nil, paths: [file])
    }

    /// Line `index` with its body changed (and left signed as before).
    func tampered(_ line: String) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let body = String(decoding: try #require(Data(base64Encoded: object["body_b64"] as? String ?? "")), as: UTF8.self)
        #expect(body.contains(#""value":130"#))
        object["body_b64"] = Data(body.replacingOccurrences(of: #""value":130"#, with: #""value":310"#).utf8).base64EncodedString()
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func intactAndEveryKindOfTamperingIsFound() throws {
        let (lines, key, directory) = try Self.receivedLog()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(lines.count == 4)

        let intact = try check(lines, key, in: directory)
        #expect(intact.intact, "\(intact.text)")
        #expect(intact.text.contains("batches: 4 (sequences 1…4), re-sent: 0"))
        // A directory means its *.jsonl files; the key may also be given as a file or base64.
        let keyFile = directory + "/public.pem"
        try key.publicKeyPEM.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let dirCheck = try ChainCheck.run(publicKey: keyFile, gatewayID: "gw-chain", paths: [directory])
        #expect(dirCheck.text.contains("chain intact"))
        #expect(try ChainCheck.run(publicKey: key.publicKeyBase64, gatewayID: nil, paths: [directory]).intact)

        // A retry directly after the first send is harmless and counted.
        let retried = try check([lines[0], lines[1], lines[1], lines[2], lines[3]], key, in: directory)
        #expect(retried.intact && retried.text.contains("re-sent: 1"))

        let gap = try check([lines[0], lines[2], lines[3]], key, in: directory)
        #expect(!gap.intact && gap.text.contains("gap: sequence 2 is missing"), "\(gap.text)")

        let replay = try check(lines + [lines[0]], key, in: directory)
        #expect(!replay.intact && replay.text.contains("sequence 1 arrived again after later batches"), "\(replay.text)")

        let reordered = try check([lines[0], lines[2], lines[1], lines[3]], key, in: directory)
        #expect(!reordered.intact && reordered.text.contains("sequence 2 arrived after 3 (reordered)"), "\(reordered.text)")

        let modified = try check([lines[0], lines[1], try tampered(lines[2]), lines[3]], key, in: directory)
        #expect(!modified.intact && modified.text.contains("sequence 3: bad signature"), "\(modified.text)")

        // Another gateway's key verifies nothing.
        let stranger = GatewayKey(privateKey: Ed25519PrivateKey())
        #expect(try !check(lines, stranger, in: directory).intact)
        #expect(throws: QueueTool.Failure.self) { try ChainCheck.run(publicKey: "not a key", gatewayID: nil, paths: [directory]) }
    }

    @Test func theKeyIsMadeOnceWithMode0600AndReadsBackAsOpenSSLWould() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = GatewayKey.defaultPath(forStore: directory + "/pocgate.db")
        #expect(path == directory + "/gateway.key")
        let first = try GatewayKey.loadOrCreate(path: path)
        let again = try GatewayKey.loadOrCreate(path: path)
        #expect(first.publicKeyPEM == again.publicKeyPEM)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
        // openssl reads both halves: the private key file and the printed public key.
        let pem = directory + "/public.pem"
        try first.publicKeyPEM.write(toFile: pem, atomically: true, encoding: .utf8)
        for arguments in [["pkey", "-in", path, "-noout"], ["pkey", "-pubin", "-in", pem, "-noout"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "openssl \(arguments)")
        }
        try "garbage".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: GatewayKeyError.malformed(path: path)) { try GatewayKey.load(path: path) }
    }
}
