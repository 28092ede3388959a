/// XML text that ``XMLNode/parse(_:)`` could not read: what was wrong and where.
struct XMLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    let reason: String
    /// The byte offset of the problem.
    let offset: Int

    init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    var description: String { "invalid XML at byte \(offset): \(reason)" }
}
