/// Handlers that cannot be set up: two for one media type, or a handler type that could not be
/// built from the graph. Thrown when the dispatcher is created, so the service stops at start-up.
///
/// ```
/// two handlers for media type 'application/vnd.globality.pubsub._.created.thing': closure at Things/main.swift:12 and ThingCreatedHandler
/// cannot build handler ThingCreatedHandler for media type 'application/vnd.globality.pubsub._.created.thing': no binding 'thing_store'
/// ```
public struct MessageHandlersError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, to compare or switch on (`error.code == .duplicateHandler`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable { case duplicateHandler, handlerCreationFailed }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// A media type has two handlers.
        public static let duplicateHandler = Code(.duplicateHandler)
        /// A handler type could not be built.
        public static let handlerCreationFailed = Code(.handlerCreationFailed)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
    /// The media type concerned.
    public let mediaType: MediaType
    /// The handlers concerned: both for a duplicate, the one that failed otherwise.
    public let handlers: [String]
    /// What building the handler threw, when that is the problem.
    public let underlying: (any Error)?
    private let detail: String

    private init(code: Code, mediaType: MediaType, handlers: [String], underlying: (any Error)? = nil, detail: String) {
        self.code = code
        self.mediaType = mediaType
        self.handlers = handlers
        self.underlying = underlying
        self.detail = detail
    }

    /// `mediaType` has handler `first` and is given handler `second`.
    public static func duplicateHandler(_ mediaType: MediaType, first: String, second: String) -> Self {
        Self(code: .duplicateHandler, mediaType: mediaType, handlers: [first, second],
             detail: "two handlers for media type '\(mediaType)': \(first) and \(second)")
    }

    /// Building handler type `handler`, registered for `mediaType`, threw `error`.
    public static func handlerCreationFailed(_ handler: String, mediaType: MediaType, error: any Error) -> Self {
        Self(code: .handlerCreationFailed, mediaType: mediaType, handlers: [handler], underlying: error,
             detail: "cannot build handler \(handler) for media type '\(mediaType)': \(error)")
    }

    public var description: String { detail }
}
