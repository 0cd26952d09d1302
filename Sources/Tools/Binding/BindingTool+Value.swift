import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Logging
package import PocGateCore
import Store

package extension BindingTool {
    /// Releases reading `readingID`, held for `hold`, after a person checked its value; `note`
    /// (why the value is right, e.g. "meter HI, repeated on a second meter") goes to the audit
    /// log. - Returns: the text to print.
    static func releaseValue(_ hold: ValueHold, readingID: Int64?, note: String?, configPath: String,
                             logger: Logger) throws(QueueTool.Failure) -> String {
        guard let readingID else {
            throw .input("--reason \(hold.rawValue) releases one reading after you checked its value: give --reading ID "
                         + "(first column of 'pocgate queue held') and --note saying what you checked")
        }
        let note = (note ?? "").trimmingWhitespaceAndNewlines()
        guard !note.isEmpty else {
            throw .input("--note must say what you checked (e.g. \"repeated on a second meter: 33.1 mmol/L\"); it is kept in the audit log")
        }
        guard note.count <= maximumNoteLength else {
            throw .input("--note is \(note.count) characters; keep it under \(maximumNoteLength)")
        }
        let (store, config) = try QueueTool.openStore(configPath: configPath)
        let released: Bool
        do {
            released = try store.releaseValue(readingID: readingID, reason: hold, note: note, patients: config.patientBinding,
                                              actor: actor(), atMillis: QueueTool.nowMillis())
        } catch {
            throw .store(error)
        }
        logger.notice("held value released by hand", metadata: [
            "code": "\(LogCode.heldReadingsReleased)", "reason": "\(hold.rawValue)", "reading_id": "\(readingID)",
            "released": "\(released ? 1 : 0)", "still_held": "\(released ? 0 : 1)", "by": "\(actor())",
        ])
        return released
            ? "reading \(readingID) released after review; the daemon sends it at its next wake, marked as reviewed"
            : "reading \(readingID): value released; still held for its patient (see 'pocgate queue held')"
    }

    /// The longest note `releaseValue` keeps.
    static let maximumNoteLength = 500
}
