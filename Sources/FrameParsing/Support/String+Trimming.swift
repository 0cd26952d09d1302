extension String {
    /// The text without leading and trailing spaces (only U+0020: device fields pad with spaces).
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
