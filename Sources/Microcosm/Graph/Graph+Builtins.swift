extension BindingKey where Component == Logger {
    /// `logger`: the service's logger. A logger assigned or overridden here carries the opaque
    /// values as the graph's own does: `graph.assign(.logger, Logger(label: "test", handler: logs))`.
    public static var logger: Self { Self("logger") }
}

extension Graph {
    /// The opaque values of the current task (binding `opaque`).
    public var opaque: Opaque { builtin("opaque") }

    /// The service's logger (binding `logger`); records carry the current opaque values.
    public var logger: Logger { builtin("logger") }

    private func builtin<T>(_ key: String) -> T {
        do {
            return try resolve(key, as: T.self)
        } catch {
            preconditionFailure("built-in binding '\(key)' is unusable: \(error)")
        }
    }
}
