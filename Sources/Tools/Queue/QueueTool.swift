public import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import Logging
public import Store
public import Uplink

/// What `pocgate queue`, `pocgate key` and `pocgate verify-chain` do, apart from argument
/// parsing: they open the database named by the configuration directly (the daemon may be
/// running: WAL and the busy timeout make that safe).
public enum QueueTool {
    /// Why a queue command failed; the message says what to do.
    public enum Failure: Error, CustomStringConvertible {
        /// The configuration file was refused.
        case config(String)
        /// The configuration file is not there (66) or cannot be read (77).
        case configUnreadable(String, ExitStatus)
        /// The store failed.
        case store(StoreError)
        /// The gateway key cannot be read.
        case key(String)
        /// An argument or input file is unusable.
        case input(String)
        /// The configuration names a database that does not exist (yet): tools never create it.
        case noStore(String)

        public var description: String {
            switch self {
            case .config(let text), .key(let text), .input(let text), .noStore(let text), .configUnreadable(let text, _): return text
            case .store(let error): return error.description
            }
        }
    }

    /// Opens the store of the configuration at `configPath`.
    package static func openStore(configPath: String) throws(Failure) -> (Store, GatewayConfig) {
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            throw configFailure(configPath, error)
        }
        // Only `pocgate run` creates the database: a tool run before the first start (as root,
        // say) would leave a file the service user cannot open, and a mistyped store.path would
        // report an empty queue instead of the real one.
        var st = stat()
        guard lstat(config.storePath, &st) == 0 else {
            throw .noStore("no database at \(config.storePath): the daemon has not started with this configuration yet "
                           + "('systemctl start pocgate' creates it), or store.path in \(configPath) is mistyped")
        }
        do {
            return (try Store(path: config.storePath, limits: .megabytes(config.storeMaxSizeMB)), config)
        } catch {
            throw .store(error)
        }
    }

    /// Runs `body` with the store, turning store errors into `Failure`.
    public static func withStore<R>(configPath: String, _ body: (Store) throws(StoreError) -> R) throws(Failure) -> R {
        let (store, _) = try openStore(configPath: configPath)
        do {
            return try body(store)
        } catch {
            throw .store(error)
        }
    }

    /// Drops dead letter `id` and logs it at notice level with `reason`.
    public static func drop(id: Int64, reason: String, configPath: String, logger: Logger) throws(Failure) {
        try withStore(configPath: configPath) { (store: Store) throws(StoreError) in
            try store.dropDeadLetter(id: id, reason: reason, atMillis: nowMillis())
        }
        logger.notice("dead letter dropped by hand; it will never be sent", metadata: ["reading_id": "\(id)", "reason": "\(reason)"])
    }

    /// Deletes the kept problems through `id` (`pocgate queue problems --drop-through`), with
    /// an audit entry; returns how many.
    public static func dropProblems(through id: Int64, configPath: String, logger: Logger) throws(Failure) -> Int {
        let dropped = try withStore(configPath: configPath) { (store: Store) throws(StoreError) -> Int in
            try store.dropProblems(through: id, actor: BindingTool.actor(), atMillis: nowMillis())
        }
        logger.notice("kept problems dropped by hand", metadata: ["through_id": "\(id)", "dropped": "\(dropped)"])
        return dropped
    }

    /// The public key of the gateway whose database the configuration names.
    public static func publicKey(configPath: String) throws(Failure) -> GatewayKey {
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            throw configFailure(configPath, error)
        }
        do {
            return try GatewayKey.load(path: GatewayKey.defaultPath(forStore: config.storePath))
        } catch {
            throw .key(error.description)
        }
    }

    /// A configuration that could not be loaded, with its cause: not there, not readable, or refused.
    static func configFailure(_ path: String, _ error: any Error) -> Failure {
        let cause = ExitStatus.configRefused(path: path)
        return cause == .configuration ? .config("configuration refused: \(error)")
            : .configUnreadable("cannot read the configuration: \(error)", cause)
    }

    /// The current wall clock, Unix milliseconds.
    public static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
