/// A path into nested configuration, such as `sqs_consumer.limit`.
///
/// A string literal is split on `.`; use ``init(_:)`` with components when a key itself holds
/// dots (media types do: `ConfigKeyPath(["sns_topic_arns", "mappings", mediaType])`).
public struct ConfigKeyPath: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The keys from the root down.
    public var components: [String]

    /// A path made of `components`, taken as they are.
    public init(_ components: [String]) { self.components = components }

    /// A path parsed from dotted text (`"a.b.c"`).
    public init(dotted: String) {
        components = dotted.isEmpty ? [] : dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public init(stringLiteral value: String) { self.init(dotted: value) }

    /// The root path (no components).
    public static let root = ConfigKeyPath([])

    /// This path with `key` appended.
    public func appending(_ key: String) -> ConfigKeyPath { ConfigKeyPath(components + [key]) }

    /// This path with `other` appended.
    public func appending(_ other: ConfigKeyPath) -> ConfigKeyPath { ConfigKeyPath(components + other.components) }

    /// True when this path is `prefix` or lies below it.
    public func hasPrefix(_ prefix: ConfigKeyPath) -> Bool {
        components.starts(with: prefix.components)
    }

    /// The dotted form, `"<root>"` for the root.
    public var description: String { components.isEmpty ? "<root>" : components.joined(separator: ".") }
}
