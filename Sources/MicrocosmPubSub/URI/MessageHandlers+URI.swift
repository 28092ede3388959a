import Microcosm

extension MessageHandlers {
    /// Registers URI handler type `H` for `mediaType` (exact, or a trailing-`.*` pattern); one `H` is
    /// built from the graph for all its media types.
    ///
    /// ```swift
    /// handlers.register(OrderCreatedHandler.self, for: .created("Order"))
    /// ```
    public mutating func register<H: URIHandler>(_ handlerType: H.Type, for mediaType: MediaType) {
        register(URIHandlerAdapter<H>.self, for: mediaType)
    }

    /// Registers URI handler type `H` for messages of type `M` (its media type); `M`'s schema is registered too.
    public mutating func register<H: URIHandler, M: PubSubMessage>(_ handlerType: H.Type, for messageType: M.Type) {
        register(URIHandlerAdapter<H>.self, for: messageType)
    }
}
