extension MessageHandlers {
    /// Registers what each handler reads with `registry`, as the dispatcher does when it is
    /// created, without building the handlers: a typed message's schema, else its media type.
    ///
    /// ```swift
    /// let registry = try graph.pubsubMessageSchemaRegistry
    /// try OrdersDaemon().handlers.registerSchemas(in: registry)
    /// registry.mediaTypes   // the media types the service reads, and the batch message
    /// ```
    ///
    /// Throws ``PubSubMessageError/alreadyRegistered(_:existing:new:)`` when a media type already
    /// has another schema.
    public func registerSchemas(in registry: PubSubMessageSchemaRegistry) throws {
        for registration in registrations {
            try registration.registerSchema(registry)
        }
    }
}
