/// The bindings a graph can build: the library's and the application's.
///
/// ```swift
/// var registry = Registry.pubsub
/// registry.bind("thing_store", defaults: ["base_url": "http://localhost:5000"]) { graph in
///     ThingStore(baseURL: try graph.config.string("thing_store.base_url"))
/// }
/// ```
/// A new registry holds the built-in bindings `config`, `metadata`, `opaque` and `logger`.
public struct Registry: Sendable {
    /// A component factory.
    public typealias Factory = @Sendable (Graph) throws -> any Sendable

    struct Binding: Sendable {
        var defaults: ConfigDefaults
        var factory: Factory
    }

    private(set) var bindings: [String: Binding] = [:]
    private(set) var order: [String] = []
    private(set) var sections: [(name: String, defaults: ConfigDefaults)] = []
    private(set) var duplicates: [String] = []

    /// A registry with the built-in bindings.
    public init() {
        for key in Graph.builtinKeys {
            bindings[key] = Binding(defaults: [:]) { graph in
                throw GraphError.factoryFailed(key, error: BuiltinError(key: key, graph: graph.metadata.name))
            }
            order.append(key)
        }
        declare("logging", defaults: [
            "level": .typed(.logLevel, default: .null),
            "format": .typed(.oneOf(["text", "json"]), default: "text"),
        ])
    }

    /// The names bound, in binding order.
    public var keys: [String] { order }

    /// Binds `key` to `factory`; `defaults` become config section `key`.
    ///
    /// Binding a name twice is reported when a graph is created; use ``replace(_:defaults:factory:)``
    /// to change a binding on purpose.
    public mutating func bind<T: Sendable>(_ key: String, defaults: ConfigDefaults = [:],
                                           factory: @escaping @Sendable (Graph) throws -> T) {
        if bindings[key] != nil {
            duplicates.append(key)
            return
        }
        order.append(key)
        bindings[key] = Binding(defaults: defaults) { graph in try factory(graph) }
    }

    /// Binds a typed key.
    public mutating func bind<T>(_ key: BindingKey<T>, defaults: ConfigDefaults = [:],
                                 factory: @escaping @Sendable (Graph) throws -> T) {
        bind(key.name, defaults: defaults, factory: factory)
    }

    /// Binds `key`, replacing any existing binding of that name (and its defaults).
    public mutating func replace<T: Sendable>(_ key: String, defaults: ConfigDefaults = [:],
                                              factory: @escaping @Sendable (Graph) throws -> T) {
        if bindings[key] == nil { order.append(key) }
        bindings[key] = Binding(defaults: defaults) { graph in try factory(graph) }
    }

    /// Replaces a typed key's binding.
    public mutating func replace<T>(_ key: BindingKey<T>, defaults: ConfigDefaults = [:],
                                    factory: @escaping @Sendable (Graph) throws -> T) {
        replace(key.name, defaults: defaults, factory: factory)
    }

    /// Declares defaults (and requirements) for a config section that has no component of its own.
    public mutating func declare(_ section: String, defaults: ConfigDefaults) {
        sections.append((section, defaults))
    }

    /// Every binding's and section's defaults, by section name.
    var allDefaults: [(section: String, defaults: ConfigDefaults)] {
        order.map { ($0, bindings[$0]!.defaults) } + sections.map { ($0.name, $0.defaults) }
    }
}

/// Built-in components are made by the graph itself; this only shows if that ever fails.
private struct BuiltinError: Error, CustomStringConvertible {
    let key: String
    let graph: String
    var description: String { "built-in '\(key)' of graph '\(graph)' has no factory" }
}
