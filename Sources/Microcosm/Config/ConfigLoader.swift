import Foundation

/// Produces configuration for a service, as microcosm's loaders do.
///
/// Compose them in order, later ones winning:
/// ```swift
/// let loader = ConfigLoader.each(.settingsFile(), .environment(), .dictionary(["debug": true]))
/// let graph = try Graph(name: "things", loader: loader)
/// ```
public struct ConfigLoader: Sendable {
    private let body: @Sendable (Metadata) throws -> JSONObject

    /// A loader backed by `body`.
    public init(_ body: @escaping @Sendable (Metadata) throws -> JSONObject) {
        self.body = body
    }

    /// The configuration this loader supplies for `metadata`.
    public func load(_ metadata: Metadata) throws -> JSONObject {
        try body(metadata)
    }

    /// Nothing.
    public static let empty = ConfigLoader { _ in JSONObject() }

    /// The given values (`load_from_dict`).
    public static func dictionary(_ values: JSONObject) -> ConfigLoader {
        ConfigLoader { _ in values }
    }

    /// Each loader in turn, later ones merged over earlier ones (`load_each`).
    public static func each(_ loaders: ConfigLoader...) -> ConfigLoader { each(loaders) }

    /// Each loader in turn, later ones merged over earlier ones (`load_each`).
    public static func each(_ loaders: [ConfigLoader]) -> ConfigLoader {
        ConfigLoader { metadata in
            var merged = JSONObject()
            for loader in loaders { merged = Configuration.merge(merged, try loader.load(metadata)) }
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
        secondary: @escaping @Sendable (Metadata, Configuration) throws -> JSONObject
    ) -> ConfigLoader {
        ConfigLoader { metadata in
            let first = try primary.load(metadata)
            let second = try secondary(metadata, Configuration(first))
            return preferSecondary ? Configuration.merge(first, second) : Configuration.merge(second, first)
        }
    }

    /// The standard order below explicit values: the JSON settings file, then the environment.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLoader {
        each(.settingsFile(environment: environment), .environment(environment))
    }
}
