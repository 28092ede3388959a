import MicrocosmJSON
/// Request-scoped values that travel with work (microcosm's `opaque`), bound as `opaque`.
///
/// Base values come from config section `opaque`; `withValues` adds values for the duration of
/// an operation, in a task-local, so concurrent tasks never see each other's values.
///
/// ```swift
/// try await graph.opaque.withValues(["X-Request-Id": "req-1"]) {
///     graph.opaque["x-request-id"]          // "req-1"
///     try await graph.snsProducer.produce(...)   // carries x-request-id
/// }
/// ```
public final class Opaque: Sendable {
    @TaskLocal private static var scoped = OpaqueValues()

    /// The values every scope starts from (config section `opaque`).
    public let base: OpaqueValues

    public init(base: OpaqueValues = OpaqueValues()) {
        self.base = base
    }

    /// The base values with the current scope's values over them.
    public var values: OpaqueValues { base.merging(Opaque.scoped) }

    /// The current value for `key`, any case, as text (a string as itself, anything else as compact JSON).
    public subscript(key: String) -> String? { Opaque.scoped[key] ?? base[key] }

    /// The current JSON value for `key`, any case, with its JSON type.
    public subscript(json key: String) -> JSONValue? { Opaque.scoped[json: key] ?? base[json: key] }

    /// Runs `operation` with `values` added to the current scope.
    @discardableResult
    public func withValues<R>(
        _ values: OpaqueValues,
        isolation: isolated (any Actor)? = #isolation,
        operation: () async throws -> R
    ) async rethrows -> R {
        try await Opaque.$scoped.withValue(Opaque.scoped.merging(values), operation: operation, isolation: isolation)
    }

    /// Runs `operation` synchronously with `values` added to the current scope.
    @discardableResult
    public func withValues<R>(_ values: OpaqueValues, operation: () throws -> R) rethrows -> R {
        try Opaque.$scoped.withValue(Opaque.scoped.merging(values), operation: operation)
    }
}
