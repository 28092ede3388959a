/// A schema document (``PubSubSchemaDocument``) that cannot be read.
public struct PubSubSchemaDocumentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for matching.
    public struct Code: Hashable, Sendable {
        /// The text is not JSON.
        public static let notJSON = Code(0)
        /// The JSON is not a document: no `$defs` object of schema objects.
        public static let notADocument = Code(1)
        private let value: Int
        private init(_ value: Int) { self.value = value }
    }

    public let code: Code
    /// Where and why: the parser's reason and position, or the part that is wrong.
    public let detail: String

    /// The text is not JSON.
    public static func notJSON(_ detail: String) -> Self { Self(code: .notJSON, detail: detail) }
    /// The JSON is not a schema document.
    public static func notADocument(_ detail: String) -> Self { Self(code: .notADocument, detail: detail) }

    /// The parser's reason (`invalid JSON at line 3, column 1: ...`) or `not a schema document: ...`.
    public var description: String {
        code == .notJSON ? detail : "not a schema document: \(detail)"
    }
}
