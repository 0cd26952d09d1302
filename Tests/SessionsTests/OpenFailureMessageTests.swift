import Glibc
import Transports
import Testing

/// A failed open of a device node names its real cause once: the group advice only for a
/// permission refusal, never for a node that is gone or busy.
@Suite struct OpenFailureMessageTests {
    @Test("a failed tty open names the errno's real cause once", arguments: [
        (ENOENT, "No such file or directory", "unplugged"),
        (EACCES, "Permission denied", "pocgate group"),
        (EBUSY, "busy", "another program"),
        (EIO, "Input/output error", ""),
    ])
    func aFailedTTYOpenNamesItsRealCauseOnce(errno: Int32, cause: String, advice: String) {
        let text = LinkError.openFailed(path: "/dev/ttyUSB0", errno: errno).description
        #expect(text.hasPrefix("cannot open /dev/ttyUSB0: "), "\(text)")
        #expect(text.components(separatedBy: cause).count == 2, "the cause once: \(text)")
        #expect(text.contains("(errno \(errno))"))
        if !advice.isEmpty { #expect(text.contains(advice), "\(text)") }
        #expect(text.contains("group") == (errno == EACCES), "group advice only for a permission refusal: \(text)")
        #expect(text.lowercased().components(separatedBy: "permission").count <= 2, "\(text)")
    }
}
