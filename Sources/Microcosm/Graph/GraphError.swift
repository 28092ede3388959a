/// What went wrong resolving a binding, in words that point at the fix.
///
/// ```
/// no binding 'sns_produce'; did you mean 'sns_producer'?
/// cycle in the graph: a -> b -> a
/// cannot create 'thing_store': the graph is locked
/// ```
public struct GraphError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, to compare or switch on (`error.code == .notBound`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable { case notBound, cycle, locked, alreadyBound, factoryFailed, typeMismatch }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// No binding has the key.
        public static let notBound = Code(.notBound)
        /// Creating a binding needs itself.
        public static let cycle = Code(.cycle)
        /// A binding would be created after ``Graph/lock()``.
        public static let locked = Code(.locked)
        /// A key was bound twice in one registry.
        public static let alreadyBound = Code(.alreadyBound)
        /// A factory threw.
        public static let factoryFailed = Code(.factoryFailed)
        /// A binding holds a component of another type than the one asked for.
        public static let typeMismatch = Code(.typeMismatch)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
    /// The binding concerned.
    public let key: String
    /// Near names (for an unknown binding) or the cycle's path.
    public let related: [String]
    /// The original error thrown by a factory.
    public let underlying: (any Error)?
    private let detail: String

    private init(code: Code, key: String, related: [String] = [], underlying: (any Error)? = nil, detail: String) {
        self.code = code
        self.key = key
        self.related = related
        self.underlying = underlying
        self.detail = detail
    }

    /// `key` is not bound; `suggestions` are the closest bound names.
    public static func notBound(_ key: String, suggestions: [String]) -> Self {
        let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
        return Self(code: .notBound, key: key, related: suggestions, detail: "no binding '\(key)'\(hint)")
    }

    /// Creating `path.last` needs itself: `path` is the full chain, first and last equal.
    public static func cycle(_ path: [String]) -> Self {
        Self(code: .cycle, key: path.last ?? "", related: path, detail: "cycle in the graph: " + path.joined(separator: " -> "))
    }

    /// `key` would be created after ``Graph/lock()``.
    public static func locked(_ key: String) -> Self {
        Self(code: .locked, key: key, detail: "cannot create '\(key)': the graph is locked (resolve it before lock(), or use(...) it)")
    }

    /// `key` was bound twice in one registry.
    public static func alreadyBound(_ key: String) -> Self {
        Self(code: .alreadyBound, key: key, detail: "binding '\(key)' is bound twice (use replace(...) to change a binding on purpose)")
    }

    /// The factory of `key` threw `error`.
    public static func factoryFailed(_ key: String, error: any Error) -> Self {
        Self(code: .factoryFailed, key: key, underlying: error, detail: "creating '\(key)' failed: \(error)")
    }

    /// `key` holds a component of another type than the one asked for.
    public static func typeMismatch(_ key: String, expected: Any.Type, actual: Any.Type) -> Self {
        Self(code: .typeMismatch, key: key, detail: "binding '\(key)' holds \(actual), not \(expected)")
    }

    public var description: String { detail }
}
