extension String {
    /// The text without leading and trailing spaces (only U+0020: device fields pad with spaces).
    var trimmingSpaces: String {
        // Neither end is a space byte, so neither end is the character " ": nothing to trim.
        if utf8.first != 0x20 && utf8.last != 0x20 { return self }
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
