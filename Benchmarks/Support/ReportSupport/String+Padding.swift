// Aligning text in the reports' columns.

extension String {
    /// The text right-aligned in `width` characters: spaces before it, none when it is
    /// already `width` or longer (it is never cut).
    public func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - count)) + self
    }

    /// The text left-aligned in `width` characters: spaces after it, none when it is
    /// already `width` or longer (it is never cut, unlike Foundation's `padding(toLength:…)`).
    public func rightPadded(_ width: Int) -> String {
        self + String(repeating: " ", count: Swift.max(0, width - count))
    }
}
