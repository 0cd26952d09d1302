extension StringProtocol {
    /// The text without leading and trailing blanks (spaces, tabs and other Unicode space
    /// separators); line breaks are kept.
    public func trimmingWhitespace() -> String {
        trimming { $0.isWhitespace && !$0.isNewline }
    }

    /// The text without leading and trailing blanks and line breaks.
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming { $0.isWhitespace }
    }

    private func trimming(_ drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first...last])
    }
}
