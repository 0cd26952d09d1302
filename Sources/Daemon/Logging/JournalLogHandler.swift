public import Logging

/// A swift-log backend writing systemd's native journal protocol, so every metadata key
/// becomes its own journal field: `journalctl -u pocgate POCGATE_DEVICE=/dev/ttyUSB0`.
///
/// Fields: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER=pocgate`, `CODE_FILE`, `CODE_LINE`,
/// `CODE_FUNC`, and `POCGATE_<KEY>` per metadata key (`code` → `POCGATE_CODE`). Message and
/// values pass through `LogRedactor` first. When the journal cannot take an entry, the event
/// is written to stderr as `StderrLogHandler` would, so it is not lost.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let journal: JournalSocket
    private let identifier: String
    private let redactor = LogRedactor()

    public init(label: String, level: Logger.Level = .info, journal: JournalSocket, identifier: String = "pocgate") {
        self.logLevel = level
        self.journal = journal
        self.identifier = identifier
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        fields = redactor.redact(fields)
        let message = redactor.redact("\(event.message)")
        var entry = JournalEntry()
        entry.append("MESSAGE", StderrLogHandler.journalValue(message))
        entry.append("PRIORITY", "\(StderrLogHandler.priority(event.level))")
        entry.append("SYSLOG_IDENTIFIER", identifier)
        entry.append("CODE_FILE", event.file)
        entry.append("CODE_LINE", "\(event.line)")
        entry.append("CODE_FUNC", event.function)
        for key in fields.keys.sorted() {
            entry.append(JournalEntry.fieldName(for: key), StderrLogHandler.journalValue("\(fields[key]!)"))
        }
        do {
            try journal.send(entry)
        } catch {
            StderrLogHandler.write(StderrLogHandler.line(level: event.level, message: message, fields: fields))
        }
    }
}
