#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS

extension BindingKey where Component == URIResourceClient {
    /// `uri_resource_client`: how ``URIHandler``s GET their resources (config `connect_timeout`,
    /// default 5 s; `read_timeout`, 30 s; `max_attempts`, 3).
    public static var uriResourceClient: Self { Self("uri_resource_client") }
}

extension BindingKey where Component == URIResourceCache? {
    /// `resource_cache`: resources of created events kept for ``URIHandler``s (microcosm-caching's
    /// binding; config `enabled`, default false; `max_entries`, 10000); nil when not enabled.
    public static var resourceCache: Self { Self("resource_cache") }
}

extension Registry {
    /// Binds `uri_resource_client` and `resource_cache`.
    ///
    /// The client has its own ``CurlTransport`` (TLS verified against the system's CAs, or the PEM
    /// file named by `REQUESTS_CA_BUNDLE` or `CURL_CA_BUNDLE`, as Python's `requests` reads them).
    /// The cache is microcosm-caching's `resource_cache` kept in memory: its `enabled` (default
    /// false) is microcosm-caching's key; memcached's `servers`, `connect_timeout`, `read_timeout`
    /// and `ignore_exc` have no use here and are not read.
    mutating func bindURIHandling() {
        bind(.uriResourceClient, defaults: [
            "connect_timeout": .typed(.seconds(in: Registry.timeoutRange), default: 5),
            "read_timeout": .typed(.seconds(in: Registry.timeoutRange), default: 30),
            "max_attempts": .typed(.int(in: 1...10), default: 3),
        ]) { graph in
            let section = try graph.config.section("uri_resource_client")
            let environment = ProcessInfo.processInfo.environment
            let transport = CurlTransport(connectTimeout: try section.seconds("connect_timeout", in: Registry.timeoutRange),
                                          caBundlePath: environment["REQUESTS_CA_BUNDLE"] ?? environment["CURL_CA_BUNDLE"])
            return URIResourceClient(transport: transport, timeout: try section.seconds("read_timeout", in: Registry.timeoutRange),
                                     maxAttempts: try section.int("max_attempts", in: 1...10), logger: graph.logger)
        }
        bind(.resourceCache, defaults: [
            "enabled": .typed(.bool, default: false),
            "max_entries": .typed(.int(in: 1...Int.max), default: 10_000),
        ]) { graph -> URIResourceCache? in
            let section = try graph.config.section("resource_cache")
            guard try section.bool("enabled") else { return nil }
            return URIResourceCache(maxEntries: try section.int("max_entries", in: 1...Int.max), clock: try graph.pubsubClock)
        }
    }
}

extension Graph {
    /// How URI handlers GET resources (binding `uri_resource_client`).
    public var uriResourceClient: URIResourceClient { get throws { try resolve(.uriResourceClient) } }

    /// The resource cache of URI handlers, nil unless `resource_cache.enabled` (binding `resource_cache`).
    public var resourceCache: URIResourceCache? { get throws { try resolve(.resourceCache) } }
}
