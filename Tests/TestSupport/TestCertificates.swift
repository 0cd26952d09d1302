import Foundation

/// Why a test helper could not set up its fixture.
public enum TestSupportError: Error, CustomStringConvertible {
    /// An external command failed.
    case commandFailed(command: String, status: Int32, output: String)
    /// The receiver did not start.
    case receiverDidNotStart(reason: String)
    /// A test socket could not be set up.
    case socket(String)

    public var description: String {
        switch self {
        case .commandFailed(let command, let status, let output):
            return "\(command) exited with \(status): \(output)"
        case .receiverDidNotStart(let reason):
            return "the FHIR test receiver did not start: \(reason)"
        case .socket(let reason):
            return "test socket: \(reason)"
        }
    }
}

/// Certificates made with `openssl` for tests: a private CA and a server certificate for
/// `127.0.0.1` / `localhost` signed by it (EC P-256, valid for two days).
public struct TestCertificates: Sendable {
    /// The CA certificate (PEM) that clients should trust.
    public let caFile: String
    /// The server certificate (PEM).
    public let certFile: String
    /// The server's private key (PEM).
    public let keyFile: String

    /// What is wrong with a generated server certificate, on purpose.
    public enum Flaw: Sendable {
        /// Nothing: valid for `127.0.0.1` and `localhost` for two days.
        case none
        /// Its validity ended yesterday.
        case expired
        /// It names another host (`pocgate-other.invalid`, `127.0.0.2`), not `127.0.0.1`.
        case wrongHost
    }

    /// Generates a CA and a server certificate in `directory`, file names prefixed by `name`.
    public static func generate(in directory: String, name: String = "server", flaw: Flaw = .none) throws -> TestCertificates {
        let ca = try generateCA(in: directory, name: name + "-ca")
        let base = directory + "/" + name
        let names = flaw == .wrongHost ? "DNS:pocgate-other.invalid, IP:127.0.0.2" : "IP:127.0.0.1, DNS:localhost"
        try issue(base: base, ca: ca, subject: flaw == .wrongHost ? "/CN=pocgate-other.invalid" : "/CN=127.0.0.1",
                  extensions: """
                    subjectAltName = \(names)
                    basicConstraints = critical, CA:FALSE
                    keyUsage = critical, digitalSignature, keyEncipherment
                    extendedKeyUsage = serverAuth
                    """, days: flaw == .expired ? -1 : 2)
        return TestCertificates(caFile: ca.cert, certFile: base + ".pem", keyFile: base + ".key")
    }

    /// A client certificate (`extendedKeyUsage = clientAuth`) signed by a new CA, for mutual
    /// TLS: the receiver trusts `caFile`, the client presents `certFile` and `keyFile`.
    public static func generateClient(in directory: String, name: String = "client") throws -> TestCertificates {
        let ca = try generateCA(in: directory, name: name + "-ca")
        let base = directory + "/" + name
        try issue(base: base, ca: ca, subject: "/CN=pocgate test gateway", extensions: """
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = clientAuth
            """, days: 2)
        return TestCertificates(caFile: ca.cert, certFile: base + ".pem", keyFile: base + ".key")
    }

    private static func issue(base: String, ca: (cert: String, key: String), subject: String, extensions: String,
                              days: Int) throws {
        try extensions.write(toFile: base + "-ext.cnf", atomically: true, encoding: .utf8)
        try openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", base + ".key", "-out", base + ".csr", "-subj", subject])
        // A negative -days makes notAfter fall before notBefore (now): an expired certificate.
        try openssl(["x509", "-req", "-in", base + ".csr", "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial",
                     "-out", base + ".pem", "-days", String(days), "-extfile", base + "-ext.cnf"])
    }

    /// Generates a self-signed CA in `directory`; returns its certificate and key paths.
    @discardableResult
    public static func generateCA(in directory: String, name: String) throws -> (cert: String, key: String) {
        let base = directory + "/" + name
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", base + ".key", "-out", base + ".pem", "-days", "2",
                     "-subj", "/CN=pocgate test CA \(name)",
                     "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        return (base + ".pem", base + ".key")
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError.commandFailed(command: "openssl " + arguments.joined(separator: " "),
                                                 status: process.terminationStatus, output: text)
        }
    }
}
