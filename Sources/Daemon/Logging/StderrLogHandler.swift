public import Logging
import PocGateCore
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log backend writing one event per line to stderr, prefixed with the syslog
/// priority as `<N>` so journald files each line at the right level when pocgate runs under
/// systemd. Metadata follows the message as `KEY=value` fields in a stable order. Message and
/// values pass through `LogRedactor` first.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let redactor = LogRedactor()

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        Self.write(Self.line(level: event.level, message: redactor.redact("\(event.message)"),
                             fields: redactor.redact(fields)))
    }

    /// The line for an event whose message and fields are already redacted.
    package static func line(level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        var line = "<\(priority(level))>\(oneLine(message))"
        for key in fields.keys.sorted() {
            line += " \(key.uppercased())=\(fieldValue("\(fields[key]!)"))"
        }
        return line + "\n"
    }

    /// Writes `line` to stderr with one write(2): lines from different threads never interleave.
    package static func write(_ line: String) {
        let bytes = Array(line.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + off, $0.count - off) }
            if n <= 0 { break }
            off += n
        }
    }

    /// syslog priority of a swift-log level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// The longest message or value written, in either backend; a longer one is cut, saying
    /// how much was cut.
    public static let maximumValueBytes = 1 << 20

    /// One event is one line, and text from devices is data: every control character is
    /// written visibly (`DeviceText.escaped`: a newline as `\n`, CR and ESC as `\x0D` and
    /// `\x1B`), so a device string can neither split an event, forge a line nor drive the
    /// terminal of whoever reads the log; and the text is cut at `maximumValueBytes`.
    package static func oneLine(_ s: String) -> String {
        DeviceText.bounded(DeviceText.escaped(s), limit: maximumValueBytes)
    }

    /// A journal value: as `oneLine`, but a newline stays a newline (the journal keeps a
    /// multi-line value whole in one field, and `journalctl` shows it indented).
    package static func journalValue(_ s: String) -> String {
        guard s.contains("\n") else { return oneLine(s) }
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false).map { DeviceText.escaped(String($0)) }
        return DeviceText.bounded(lines.joined(separator: "\n"), limit: maximumValueBytes)
    }

    /// Values with spaces are quoted so a field stays one token.
    package static func fieldValue(_ s: String) -> String {
        let v = oneLine(s)
        return v.contains(" ") || v.contains("\"") || v.isEmpty ? "\"" + v.replacing("\"", with: "\\\"") + "\"" : v
    }
}
