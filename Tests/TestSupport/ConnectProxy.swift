import Foundation

/// `Tests/Harness/connect_proxy.py`: an HTTP CONNECT proxy on 127.0.0.1 (TLS to the proxy
/// when given a certificate) that logs every tunnel it opens.
public final class ConnectProxy: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let directory: String

    /// Starts the proxy; `certFile`/`keyFile` make it an `https://` proxy.
    public init(certFile: String? = nil, keyFile: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-proxy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var arguments = [HTTPSReceiver.repositoryRoot + "/Tests/Harness/connect_proxy.py",
                         "--port-file", directory + "/port", "--log", directory + "/tunnels.log"]
        if let certFile, let keyFile { arguments += ["--cert", certFile, "--key", keyFile] }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            found = (try? String(contentsOfFile: directory + "/port", encoding: .utf8)).flatMap { Int($0) }
            if found == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let found else {
            process.terminate()
            throw TestSupportError.receiverDidNotStart(reason: "the CONNECT proxy did not start")
        }
        port = found
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The `host:port` targets of the tunnels opened so far.
    public func tunnels() -> [String] {
        ((try? String(contentsOfFile: directory + "/tunnels.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
