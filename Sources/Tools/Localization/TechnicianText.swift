import PocGateCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Puts a tool's English text into the technician's language. The English text is the
/// message id, as in gettext: `MessageCatalog` pairs each English phrase with its Simplified
/// Chinese, and a line is translated phrase by phrase, longest first, so the values inside a
/// message (device paths, counts, profile ids) pass through unchanged.
package struct TechnicianText: Sendable {
    package let language: TechnicianLanguage

    package init(_ language: TechnicianLanguage) { self.language = language }

    /// The language of this process's locale.
    package static let current = TechnicianText(.from(environment: ProcessInfo.processInfo.environment))

    /// `english` in the technician's language.
    package func callAsFunction(_ english: String) -> String {
        guard language == .simplifiedChinese, !english.isEmpty else { return english }
        var out = english
        for (phrase, chinese) in MessageCatalog.longestFirst where out.contains(phrase) {
            out = out.replacing(phrase, with: chinese)
        }
        return out
    }

    /// How many terminal columns `text` takes: East Asian wide characters take two, so
    /// columns of a table line up in either language.
    package static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return width + (wide ? 2 : 1)
        }
    }

    /// `text` padded with spaces to `width` terminal columns.
    package static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - displayWidth(text)))
    }
}

/// What the technician-facing commands write: stdout lines and stderr messages, in the
/// technician's language. Machine-readable output (`--json`) never goes through it.
package enum Console {
    /// One line (or several) to stdout, translated.
    package static func out(_ text: String, _ t: TechnicianText = .current) {
        print(t(text))
    }

    /// A message to stderr, translated, ending in a newline.
    package static func err(_ text: String, _ t: TechnicianText = .current) {
        let line = t(text)
        StandardStreams.writeError((line.hasSuffix("\n") ? line : line + "\n"))
    }
}
