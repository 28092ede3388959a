import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// Runs a ``URIHandler`` as a ``MessageHandler``: what `handlers.register(SomeURIHandler.self, for:)`
/// registers. Services do not use it directly.
///
/// It is built once per dispatcher with the handler, the graph's `uri_resource_client` and, when
/// the handler uses it and config `resource_cache.enabled` binds it, the `resource_cache`.
public struct URIHandlerAdapter<Handler: URIHandler>: MessageHandler {
    /// The handler.
    public let handler: Handler
    /// How the handler is named in logs: its type name titleized, as microcosm-pubsub's `name`
    /// (`OrderCreatedHandler` is `Order Created Handler`).
    public let name: String
    private let client: URIResourceClient
    private let cache: URIResourceCache?
    private let logger: Logger

    public init(graph: Graph) throws {
        let handler = try Handler(graph: graph)
        self.init(handler: handler, client: try graph.uriResourceClient,
                  cache: handler.resourceCacheEnabled ? try graph.resourceCache : nil, logger: graph.logger)
    }

    /// An adapter around `handler` fetching with `client`, caching in `cache`.
    init(handler: Handler, client: URIResourceClient, cache: URIResourceCache?, logger: Logger) {
        self.handler = handler
        self.client = client
        self.cache = cache
        self.logger = logger
        name = Self.titleized(String(describing: Handler.self))
    }

    /// The handler's name in the opaque `handler` value and the result's log line: the wrapped
    /// handler's, as microcosm-pubsub names a URIHandler subclass.
    public static var handlerName: String { titleized(String(describing: Handler.self)) }

    /// The glue to the dispatcher: the message as consumed, with the values it is handled with.
    public func handle(_ message: ConsumedMessage, context: HandlerContext) async throws -> Bool {
        guard let content = message.content else {
            throw URIResourceError.invalidMessage("message \(message.messageId) has no content", uri: "")
        }
        return try await handle(content, opaque: context.opaque)
    }

    /// Skips, or fetches the resource and hands it to the handler; see ``URIHandler``.
    func handle(_ content: PubSubMessageContent, opaque values: OpaqueValues) async throws -> Bool {
        guard let uri = content.uri else {
            throw URIResourceError.invalidMessage("message of media type '\(content.mediaType)' has no string 'uri'", uri: "")
        }
        let message = try content.decode(Handler.Message.self)
        let metadata = ["pubsub.handler": name, "pubsub.uri": URIResourceError.redacted(uri)]
        logger.debug("Starting \(name)", metadata: metadata)

        if let reason = try await handler.reasonToSkip(message) {
            logger.info("Skipping \(name) because \(reason)", metadata: metadata.merging(["pubsub.reason": reason]) { $1 })
            return false
        }

        let resource = try await self.resource(uri: uri, content: content, message: message, opaque: values, metadata: metadata)
        if try await handler.handle(message, resource: resource) {
            logger.debug("Handled \(name)", metadata: metadata)
            return true
        }
        logger.info("Ignored \(name)", metadata: metadata)
        return false
    }

    /// The resource at `uri`: from the cache, or fetched (then cached), checked and decoded.
    private func resource(uri: String, content: PubSubMessageContent, message: Handler.Message, opaque values: OpaqueValues,
                          metadata: [String: String]) async throws -> Handler.Resource {
        let cache = cache.flatMap { handler.shouldCacheResource(mediaType: content.mediaType, uri: uri) ? $0 : nil }
        if let cached = cache?.value(for: uri) { return try decode(cached, uri: uri) }

        let headers = try Self.checked(handler.headers(for: message, opaque: values), uri: uri)
        let response: AWSHTTPResponse, attempts: Int
        do {
            (response, attempts) = try await client.fetch(uri, headers: headers)
        } catch let error as URIResourceError where error.code == .invalidURI {
            logger.error("Error was found when trying to process uri. Check schema", metadata: metadata)
            throw error
        }
        if response.status == 404 && handler.nackIfNotFound {
            throw Nack(visibilityTimeout: handler.resourceNackTimeout, reason: "URI resource not found")
        }
        guard (200..<300).contains(response.status) else { throw URIResourceError.status(response.status, uri: uri, attempts: attempts) }
        let json: JSONValue
        do {
            json = try JSONParser.parse(response.body)
        } catch {
            throw URIResourceError.invalidJSON(error, uri: uri, status: response.status)
        }
        if handler.nackIfNotFound { try checkChangedField(content, resource: json, uri: uri) }
        cache?.store(json, for: uri, ttl: handler.resourceCacheTTL)
        return try decode(json, uri: uri)
    }

    /// microcosm-pubsub's `validate_changed_field`: a message with `field_name` is nacked until the
    /// resource's field equals the message's `new_value`.
    private func checkChangedField(_ content: PubSubMessageContent, resource: JSONValue, uri: String) throws {
        guard let fieldName = content["field_name"]?.stringValue, !fieldName.isEmpty else { return }
        guard let newValue = content["new_value"] else {
            throw URIResourceError.invalidMessage("message has field_name '\(fieldName)' but no new_value", uri: uri)
        }
        guard let object = resource.objectValue else {
            throw URIResourceError.invalidMessage("resource is not a JSON object, so field '\(fieldName)' cannot be checked", uri: uri)
        }
        if (object[fieldName] ?? .null) != newValue {
            throw Nack(visibilityTimeout: handler.resourceNackTimeout, reason: "Resource field value does not match message")
        }
    }

    private func decode(_ json: JSONValue, uri: String) throws -> Handler.Resource {
        do {
            return try JSONValueDecoder().decode(Handler.Resource.self, from: json)
        } catch {
            throw URIResourceError.undecodable(error, uri: uri, as: Handler.Resource.self)
        }
    }

    /// `headers`, or an error naming the first whose name or value HTTP cannot carry (the value is not shown).
    static func checked(_ headers: AWSHTTPHeaders, uri: String) throws -> AWSHTTPHeaders {
        for field in headers {
            let nameIsToken = !field.name.isEmpty && field.name.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7f && !"()<>@,;:\\\"/[]?={}".utf8.contains(byte)
            }
            let valueIsText = !field.value.utf8.contains { $0 == 0x0d || $0 == 0x0a || $0 == 0 }
            guard nameIsToken && valueIsText else {
                throw URIResourceError.invalidMessage("opaque value '\(field.name)' cannot be sent as an HTTP header", uri: uri)
            }
        }
        return headers
    }

    /// `OrderCreatedHandler` -> `Order Created Handler`, `URIHandler` -> `Uri Handler` (inflection's `titleize`).
    static func titleized(_ typeName: String) -> String {
        Inflection.underscore(typeName).split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}
