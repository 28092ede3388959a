import Microcosm

extension BindingKey where Component == PubSubMessageSchemaRegistry {
    /// `pubsub_message_schema_registry`: the media types' schemas (config `auto_register`, default true).
    public static var pubsubMessageSchemaRegistry: Self { Self("pubsub_message_schema_registry") }
}

extension Registry {
    /// A registry with the library's bindings and their defaults, as microcosm-pubsub's entry points
    /// declare them, so a settings file written for a Python service configures these the same way.
    ///
    /// ```swift
    /// var registry = Registry.pubsub
    /// registry.bind("thing_store") { graph in ThingStore() }
    /// let graph = try Graph(name: "things", registry: registry)
    /// try graph.pubsubMessageSchemaRegistry.register(OrderShipped.self)
    /// ```
    public static var pubsub: Registry {
        var registry = Registry()
        registry.bind(.pubsubMessageSchemaRegistry, defaults: ["auto_register": .typed(.bool, default: true)]) { graph in
            PubSubMessageSchemaRegistry(autoRegister: try graph.config.bool("pubsub_message_schema_registry.auto_register"))
        }
        registry.bindClients()
        registry.bindProducer()
        registry.bindConsumer()
        registry.bindDispatch()
        registry.bindDaemon()
        registry.bindPubSubMetrics()
        registry.bindURIHandling()
        registry.declare("sleep_policy", defaults: ConsumerDaemonSettings.sleepPolicyDefaults)
        return registry
    }
}

extension Graph {
    /// The schema registry (binding `pubsub_message_schema_registry`).
    public var pubsubMessageSchemaRegistry: PubSubMessageSchemaRegistry {
        get throws { try resolve(.pubsubMessageSchemaRegistry) }
    }
}
