import PocGateCore

/// The classic Bluetooth serial (SPP) devices bound with `pocgate bt bind`: the daemon
/// connects each through BlueZ's Profile API. Kept in `bt-bindings` in the state directory
/// (beside the store, `/var/lib/pocgate`) rather than in the configuration file: the tool
/// rewrites it whole, and the configuration is the technician's hand-written file (comments,
/// order), never rewritten by pocgate.
///
/// The file is text, one binding per line: the address, and optionally the id of the profile
/// that serves it (`00:1A:7D:DA:71:13 generic-spp-bp-monitor`); `#` starts a comment. At most
/// `maximumCount` bindings in `maximumBytes`.
public struct BluetoothBindings: Sendable, Equatable {
    /// One bound device.
    public struct Binding: Sendable, Equatable, Codable {
        /// Canonical upper-case address.
        public var address: String
        /// The profile that serves it; nil: the profile whose `match.bluetooth` claims it.
        public var profile: String?

        public init(address: String, profile: String? = nil) {
            self.address = address
            self.profile = profile
        }
    }

    /// In the order they were bound.
    public private(set) var bindings: [Binding]

    public static let fileName = "bt-bindings"
    public static let maximumCount = 64
    public static let maximumBytes = 16 * 1024
    static let maximumProfileIDBytes = 128

    public init(_ bindings: [Binding] = []) {
        self.bindings = bindings
    }

    /// The file beside the store at `storePath` (`/var/lib/pocgate/bt-bindings`).
    public static func path(forStore storePath: String) -> String {
        guard let slash = storePath.lastIndex(of: "/") else { return fileName }
        return String(storePath[...slash]) + fileName
    }

    /// The binding of `address` (canonical), if any.
    public func binding(for address: String) -> Binding? {
        bindings.first { $0.address == address }
    }

    /// Binds `address` (replacing its profile when bound already); returns whether anything changed.
    public mutating func bind(_ binding: Binding) throws(BluetoothBindingsError) -> Bool {
        if let id = binding.profile, !Self.isProfileID(id) { throw .unusableProfileID(id) }
        if let i = bindings.firstIndex(where: { $0.address == binding.address }) {
            guard bindings[i] != binding else { return false }
            bindings[i] = binding
            return true
        }
        guard bindings.count < Self.maximumCount else { throw .tooMany(path: nil, count: bindings.count + 1) }
        bindings.append(binding)
        return true
    }

    /// Removes the binding of `address`; returns whether it was bound.
    public mutating func unbind(_ address: String) -> Bool {
        let before = bindings.count
        bindings.removeAll { $0.address == address }
        return bindings.count != before
    }

    /// The file's text.
    public func serialized() -> String {
        var text = "# Bluetooth serial devices bound with `pocgate bt bind` (ADDRESS [PROFILE]); edit with `pocgate bt`.\n"
        for b in bindings { text += b.address + (b.profile.map { " " + $0 } ?? "") + "\n" }
        return text
    }

    /// Reads the file's text; `path` only names it in errors.
    public static func parse(_ text: String, path: String? = nil) throws(BluetoothBindingsError) -> BluetoothBindings {
        guard text.utf8.count <= maximumBytes else { throw .tooLarge(path: path, bytes: text.utf8.count) }
        var out = BluetoothBindings()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            let number = index + 1
            guard fields.count <= 2 else { throw .badLine(path: path, line: number, reason: "expected ADDRESS [PROFILE], found \(fields.count) fields") }
            guard let address = BluetoothIdentity.canonicalAddress(String(fields[0])) else {
                throw .badLine(path: path, line: number, reason: "'\(shown(fields[0]))' is not a Bluetooth address")
            }
            var profile: String?
            if fields.count == 2 {
                let id = String(fields[1])
                guard isProfileID(id) else { throw .badLine(path: path, line: number, reason: "'\(shown(fields[1]))' is not a profile id") }
                profile = id
            }
            guard out.binding(for: address) == nil else { throw .badLine(path: path, line: number, reason: "\(address) is bound twice") }
            guard out.bindings.count < maximumCount else { throw .tooMany(path: path, count: out.bindings.count + 1) }
            out.bindings.append(Binding(address: address, profile: profile))
        }
        return out
    }

    /// A profile id as profiles spell them (ASCII letters, digits, `-`, `_`, `.`), at most
    /// `maximumProfileIDBytes` long.
    static func isProfileID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maximumProfileIDBytes && id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    /// Text from the file as shown in a message: printable ASCII, at most 40 characters.
    static func shown(_ s: Substring) -> String {
        String(s.unicodeScalars.prefix(40).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
    }
}

/// Why the bindings file was not read or written. Each message names the file and what to do.
public enum BluetoothBindingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case badLine(path: String?, line: Int, reason: String)
    case tooLarge(path: String?, bytes: Int)
    case tooMany(path: String?, count: Int)
    /// A profile id the file cannot hold (longer than 128 bytes).
    case unusableProfileID(String)
    /// Not a regular file with one link owned by the service user (a symlink planted there).
    case unsafe(path: String, reason: String)
    case system(path: String, call: String, errno: Int32)

    static func shown(_ s: String) -> String { BluetoothBindings.shown(Substring(s)) }

    public var description: String {
        switch self {
        case let .badLine(path, line, reason):
            "\(path ?? BluetoothBindings.fileName):\(line): \(reason); fix or remove the line (`pocgate bt unbind ADDRESS`, or edit the file)"
        case let .tooLarge(path, bytes):
            "\(path ?? BluetoothBindings.fileName) holds \(bytes) bytes; the most read is \(BluetoothBindings.maximumBytes): it is not a bindings file, remove it"
        case let .tooMany(path, count):
            "\(path ?? BluetoothBindings.fileName): \(count) bindings; the most served is \(BluetoothBindings.maximumCount): unbind devices no longer used"
        case let .unusableProfileID(id):
            "the profile id '\(Self.shown(id))' cannot be recorded in a binding (at most 128 ASCII letters, digits, '-', '_', '.'): bind without --profile"
        case let .unsafe(path, reason):
            "\(path) \(reason); remove it (it was not written by pocgate) and bind again"
        case let .system(path, call, e):
            "\(call) \(path) failed (errno \(e)): check that the state directory exists and belongs to the service user"
        }
    }
}
