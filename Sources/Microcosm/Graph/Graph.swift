#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmJSON

/// The object graph: loads configuration, then builds each bound component lazily, once.
///
/// ```swift
/// var registry = Registry()
/// registry.bind("thing_store", defaults: ["base_url": "http://localhost:5000"]) { graph in
///     ThingStore(baseURL: try graph.config.string("thing_store.base_url"))
/// }
/// let graph = try Graph(name: "things", registry: registry)   // defaults < settings file < env
/// try graph.use("thing_store")                                  // eager: fail fast on bad config
/// graph.lock()                                                  // no more lazy creation
/// let store: ThingStore = try graph.resolve("thing_store")
/// ```
///
/// Resolution is safe from any number of tasks at once: each component is built exactly once.
/// Factories run synchronously under the graph's lock, so they must not wait on other threads.
public final class Graph: @unchecked Sendable {
    static let builtinKeys = ["config", "metadata", "opaque", "logger"]

    /// Name, debug and testing flags.
    public let metadata: Metadata
    /// The loaded, validated configuration.
    public let config: Configuration

    // All mutable state below is guarded by `mutex`, which is held while a factory runs so that
    // a component is never built twice; it is recursive because factories resolve other bindings.
    private let mutex = RecursiveLock()
    private var factories: [String: Registry.Factory]
    private var components: [String: any Sendable] = [:]
    private var resolving: [String] = []
    private var locked = false

    /// Creates a graph for service `name`.
    ///
    /// Configuration is, lowest first: the bindings' defaults, what `loader` supplies (by default
    /// the `<NAME>__SETTINGS` file, then `<NAME>__...` environment variables), then `config`.
    /// Declared requirements are checked here; every problem is reported in one error.
    public convenience init(name: String, debug: Bool = false, testing: Bool = false, description: String? = nil,
                            registry: Registry = Registry(), loader: ConfigLoader = .standard(),
                            config overrides: JSONObject = [:]) throws {
        try self.init(metadata: Metadata(name: name, debug: debug, testing: testing, description: description),
                      registry: registry, loader: loader, config: overrides)
    }

    /// Creates a graph described by `metadata` (see ``init(name:debug:testing:description:registry:loader:config:)``).
    public init(metadata: Metadata, registry: Registry = Registry(), loader: ConfigLoader = .standard(),
                config overrides: JSONObject = [:]) throws {
        if let duplicate = registry.duplicates.first { throw GraphError.alreadyBound(duplicate) }
        let declared = registry.allDefaults
        var configuration = Configuration()
        for (section, defaults) in declared where !defaults.entries.isEmpty {
            configuration.merge([section: .object(defaults.values)])
        }
        let defaultValues = configuration.values
        let loaded = try loader.loadWithOrigins(metadata)
        configuration.merge(loaded.values)
        configuration.merge(overrides)
        let origins = ConfigOrigins([ConfigOrigins.Layer(.defaults, defaultValues)] + loaded.layers
                                        + (overrides.isEmpty ? [] : [ConfigOrigins.Layer(.explicit, overrides)]),
                                    metadata: metadata)

        var problems: [ConfigurationError] = []
        // A declared section replaced by a scalar (`{"sqs_consumer": "x"}`) is reported as such, not as
        // each of its keys missing.
        var brokenSections: [ConfigKeyPath] = []
        for (section, defaults) in declared where !defaults.entries.isEmpty {
            for path in [ConfigKeyPath([section])] + defaults.sectionPaths(under: ConfigKeyPath([section]))
            where !brokenSections.contains(where: path.hasPrefix) {
                guard let value = configuration.value(at: path), !value.isNull, value.objectValue == nil else { continue }
                problems.append(ConfigurationError.typeMismatch(path, expected: "object", seen: value).located(by: origins))
                brokenSections.append(path)
            }
        }
        for (section, defaults) in declared {
            for (keyPath, requirement) in defaults.requirements(under: ConfigKeyPath([section]))
            where !brokenSections.contains(where: keyPath.hasPrefix) {
                do {
                    let resolved = try requirement.resolve(configuration.value(at: keyPath), at: keyPath, testing: metadata.testing)
                    configuration.setValue(resolved, at: keyPath)
                } catch {
                    problems.append(error.located(by: origins))
                }
            }
        }
        configuration = Configuration(configuration.values, origins: origins)
        let opaqueBase: OpaqueValues
        do {
            opaqueBase = try Graph.opaqueBase(configuration)
        } catch {
            problems.append(error)
            opaqueBase = OpaqueValues()
        }
        if !problems.isEmpty { throw ConfigurationError.several(problems) }

        self.metadata = metadata
        self.config = configuration
        self.factories = registry.bindings.mapValues(\.factory)
        let opaque = Opaque(base: opaqueBase)
        components["config"] = configuration
        components["metadata"] = metadata
        components["opaque"] = opaque
        components["logger"] = try Graph.rootLogger(metadata: metadata, config: configuration, opaque: opaque)
    }

    // MARK: Resolution

    /// The component bound to `key`, built on first use.
    public func resolveAny(_ key: String) throws -> any Sendable {
        mutex.lock()
        defer { mutex.unlock() }
        if let component = components[key] { return component }
        guard let factory = factories[key] else {
            throw GraphError.notBound(key, suggestions: EditDistance.suggestions(for: key, in: factories.keys))
        }
        if let start = resolving.firstIndex(of: key) {
            throw GraphError.cycle(Array(resolving[start...]) + [key])
        }
        if locked { throw GraphError.locked(key) }
        resolving.append(key)
        defer { resolving.removeLast() }
        do {
            let component = try factory(self)
            components[key] = component
            return component
        } catch let error as GraphError {
            throw error
        } catch let error as ConfigurationError {
            // Factories read sections; name where a bad value came from, or where a missing one could be set.
            throw GraphError.factoryFailed(key, error: error.located(by: config.origins))
        } catch {
            throw GraphError.factoryFailed(key, error: error)
        }
    }

    /// The component bound to `key`, as `T`.
    public func resolve<T>(_ key: String, as type: T.Type = T.self) throws -> T {
        let component = try resolveAny(key)
        guard let typed = component as? T else {
            throw GraphError.typeMismatch(key, expected: T.self, actual: Swift.type(of: component))
        }
        return typed
    }

    /// The component bound to the typed `key`.
    public func resolve<T>(_ key: BindingKey<T>) throws -> T {
        try resolve(key.name, as: T.self)
    }

    /// Creates the listed components now (microcosm's `graph.use`), so bad config fails at start-up.
    @discardableResult
    public func use(_ keys: String...) throws -> [any Sendable] {
        try use(keys)
    }

    /// Creates the listed components now.
    @discardableResult
    public func use(_ keys: [String]) throws -> [any Sendable] {
        try keys.map { try resolveAny($0) }
    }

    /// Creates the components of the typed keys now: `try graph.use(.thingStore, .sqsConsumer)`.
    public func use<each Component>(_ keys: repeat BindingKey<each Component>) throws {
        repeat _ = try resolveAny((each keys).name)
    }

    // MARK: Lifecycle

    /// Forbids creating further components; resolving created ones still works.
    public func lock() {
        mutex.withLock { locked = true }
    }

    /// Allows lazy creation again.
    public func unlock() {
        mutex.withLock { locked = false }
    }

    /// True between ``lock()`` and ``unlock()``.
    public var isLocked: Bool { mutex.withLock { locked } }

    /// The names that can be resolved, sorted.
    public var boundKeys: [String] { mutex.withLock { factories.keys.sorted() } }

    /// True when `key` has been created (or assigned).
    public func isCreated(_ key: String) -> Bool { mutex.withLock { components[key] != nil } }

    /// True when the typed `key` has been created (or assigned): `graph.isCreated(.pubsubBroker)`.
    public func isCreated<T>(_ key: BindingKey<T>) -> Bool { isCreated(key.name) }

    // MARK: Test support

    /// Replaces the factory of `key`; an already created component is dropped and rebuilt on next use.
    ///
    /// A `Logger` built for `logger` carries the opaque values, as the graph's own does.
    public func override<T: Sendable>(_ key: String, factory: @escaping @Sendable (Graph) throws -> T) {
        mutex.withLock {
            factories[key] = { graph in graph.prepared(key, try factory(graph)) }
            components[key] = nil
        }
    }

    /// Replaces the factory of the typed `key`.
    public func override<T>(_ key: BindingKey<T>, factory: @escaping @Sendable (Graph) throws -> T) {
        override(key.name, factory: factory)
    }

    /// Sets the component of `key` to `value`, before or after creation, locked or not.
    ///
    /// A `Logger` assigned as `logger` carries the opaque values, as the graph's own does:
    /// `graph.assign("logger", Logger(label: "test", level: .trace, handler: logs))` keeps `x-request-id`.
    public func assign<T: Sendable>(_ key: String, _ value: T) {
        let value = prepared(key, value)
        mutex.withLock {
            if factories[key] == nil { factories[key] = { _ in value } }
            components[key] = value
        }
    }

    /// Sets the component of the typed `key` to `value`.
    public func assign<T>(_ key: BindingKey<T>, _ value: T) {
        assign(key.name, value)
    }

    // MARK: Built-ins

    /// `value` as the built-in `key` needs it: a logger bound as `logger` carries the graph's opaque values.
    private func prepared<T>(_ key: String, _ value: T) -> T {
        guard key == "logger", let logger = value as? Logger, let opaque = mutex.withLock({ components["opaque"] }) as? Opaque,
              let carrying = logger.carrying(opaque) as? T else { return value }
        return carrying
    }

    private static func opaqueBase(_ config: Configuration) throws(ConfigurationError) -> OpaqueValues {
        let section = try config.section("opaque")
        var values = OpaqueValues()
        for (key, value) in section.values where !value.isNull {
            values[json: key] = value   // any JSON value, as microcosm's opaque keeps it
        }
        return values
    }

    private static func rootLogger(metadata: Metadata, config: Configuration, opaque: Opaque) throws -> Logger {
        // A testing graph is quiet (warnings and above) unless `logging.level` says otherwise.
        let level = try config.optionalString("logging.level").flatMap(LogLevel.init(name:))
            ?? (metadata.debug ? .debug : metadata.testing ? .warning : .info)
        let format = StreamLogHandler.Format(rawValue: try config.string("logging.format", default: "text")) ?? .text
        return Logger(label: metadata.name, level: level, handler: StreamLogHandler.standardError(format: format)).carrying(opaque)
    }
}
