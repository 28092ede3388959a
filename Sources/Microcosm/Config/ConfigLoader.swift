#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmJSON

/// Produces configuration for a service, as microcosm's loaders do.
///
/// Compose them in order, later ones winning:
/// ```swift
/// let loader = ConfigLoader.each(.settingsFile(), .environment(), .dictionary(["debug": true]))
/// let graph = try Graph(name: "things", loader: loader)
/// ```
/// Each loader also says where its values came from (``Loaded/layers``: one layer per environment
/// variable, one for the settings file), so the graph's errors can name the variable or the file.
public struct ConfigLoader: Sendable {
    /// What a loader supplied: the merged values, and the layers they came from, lowest first.
    public struct Loaded: Sendable {
        /// The values, merged.
        public var values: JSONObject
        /// Where they came from, lowest first.
        public var layers: [ConfigOrigins.Layer]

        /// `values` from `layers`.
        public init(values: JSONObject, layers: [ConfigOrigins.Layer]) {
            self.values = values
            self.layers = layers
        }

        /// The values of one source.
        public init(_ values: JSONObject, origin: ConfigOrigin) {
            self.init(values: values, layers: values.isEmpty ? [] : [ConfigOrigins.Layer(origin, values)])
        }
    }

    private let body: @Sendable (Metadata) throws -> Loaded

    /// A loader backed by `body`; its values are said to come from `origin`.
    public init(origin: ConfigOrigin = .loader, _ body: @escaping @Sendable (Metadata) throws -> JSONObject) {
        self.body = { metadata in Loaded(try body(metadata), origin: origin) }
    }

    private init(loaded body: @escaping @Sendable (Metadata) throws -> Loaded) {
        self.body = body
    }

    /// A loader backed by `body`, which reports its own layers (one per variable, file, partition).
    public static func layered(_ body: @escaping @Sendable (Metadata) throws -> Loaded) -> ConfigLoader {
        ConfigLoader(loaded: body)
    }

    /// The configuration this loader supplies for `metadata`.
    public func load(_ metadata: Metadata) throws -> JSONObject {
        try body(metadata).values
    }

    /// The configuration this loader supplies for `metadata`, with where each part came from.
    public func loadWithOrigins(_ metadata: Metadata) throws -> Loaded {
        try body(metadata)
    }

    /// Nothing.
    public static let empty = ConfigLoader { _ in JSONObject() }

    /// The given values (`load_from_dict`), said to come from `origin`.
    public static func dictionary(_ values: JSONObject, origin: ConfigOrigin = .explicit) -> ConfigLoader {
        ConfigLoader(origin: origin) { _ in values }
    }

    /// Each loader in turn, later ones merged over earlier ones (`load_each`).
    public static func each(_ loaders: ConfigLoader...) -> ConfigLoader { each(loaders) }

    /// Each loader in turn, later ones merged over earlier ones (`load_each`).
    public static func each(_ loaders: [ConfigLoader]) -> ConfigLoader {
        layered { metadata in
            var merged = Loaded(values: JSONObject(), layers: [])
            for loader in loaders {
                let loaded = try loader.loadWithOrigins(metadata)
                merged.values = Configuration.merge(merged.values, loaded.values)
                merged.layers += loaded.layers
            }
            return merged
        }
    }

    /// `primary`, then `secondary` given what `primary` loaded (`two_stage_loader`).
    ///
    /// The primary values win unless `preferSecondary` is set. Use it when the first stage says
    /// where the second should look (a secrets path, a remote config URL).
    public static func twoStage(
        _ primary: ConfigLoader,
        preferSecondary: Bool = false,
        origin: ConfigOrigin = .loader,
        secondary: @escaping @Sendable (Metadata, Configuration) throws -> JSONObject
    ) -> ConfigLoader {
        layered { metadata in
            let first = try primary.loadWithOrigins(metadata)
            let second = Loaded(try secondary(metadata, Configuration(first.values)), origin: origin)
            return preferSecondary
                ? Loaded(values: Configuration.merge(first.values, second.values), layers: first.layers + second.layers)
                : Loaded(values: Configuration.merge(second.values, first.values), layers: second.layers + first.layers)
        }
    }

    /// The standard order below explicit values: the JSON settings file, then the environment.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLoader {
        each(.settingsFile(environment: environment), .environment(environment))
    }
}
