import MicrocosmAWS

/// A resource a ``URIHandler`` could not fetch or read; the message's result is FAILED, so SQS
/// redelivers it and, in the end, dead-letters it.
///
/// The description names the URI (without any user name, password or signature in it) and, for a
/// reply, the HTTP status:
/// ```
/// GET http://orders/api/v1/order/1 answered HTTP 500 after 3 attempts
/// GET http://orders/api/v1/order/1: resource is not valid JSON: invalid JSON at line 1, column 1: unexpected character
/// ```
public struct URIResourceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The URI is not an `http` or `https` URL.
        public static let invalidURI = Code("invalid URI")
        /// An HTTP status other than 2xx (and other than 404 when 404 nacks).
        public static let status = Code("status")
        /// No reply: connection, TLS or timeout, after the attempts allowed.
        public static let transport = Code("transport")
        /// The body is not JSON.
        public static let invalidJSON = Code("invalid JSON")
        /// The JSON does not decode as the handler's resource type.
        public static let undecodable = Code("undecodable")
        /// The message cannot be handled as a URI message (no `uri`, an opaque value that cannot be a header,
        /// `field_name` without `new_value`).
        public static let invalidMessage = Code("invalid message")

        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }
    }

    public let code: Code
    /// The resource's URI as the message gave it.
    public let uri: String
    /// The HTTP status of the last reply, when there was one.
    public let status: Int?
    /// How many requests were made.
    public let attempts: Int
    /// What the transport, the JSON parser or the decoder threw.
    public let underlying: (any Error)?
    private let detail: String

    private init(code: Code, uri: String, status: Int? = nil, attempts: Int = 0, underlying: (any Error)? = nil, detail: String) {
        self.code = code
        self.uri = uri
        self.status = status
        self.attempts = attempts
        self.underlying = underlying
        self.detail = detail
    }

    /// `uri` cannot be fetched: `reason` (not `http`/`https`, no host, ...).
    public static func invalidURI(_ uri: String, reason: String) -> Self {
        Self(code: .invalidURI, uri: uri, detail: "cannot GET \(URIResourceError.redacted(uri)): \(reason)")
    }

    /// `uri` answered `status` on the last of `attempts` requests.
    public static func status(_ status: Int, uri: String, attempts: Int) -> Self {
        Self(code: .status, uri: uri, status: status, attempts: attempts,
             detail: "GET \(URIResourceError.redacted(uri)) answered HTTP \(status)" + URIResourceError.after(attempts))
    }

    /// No reply from `uri` after `attempts` requests; the last failed with `error`.
    public static func transport(_ error: HTTPTransportError, uri: String, attempts: Int) -> Self {
        Self(code: .transport, uri: uri, attempts: attempts, underlying: error,
             detail: "GET \(URIResourceError.redacted(uri)): \(error.kind.rawValue)" + URIResourceError.after(attempts)
                + ": \(Redaction.scrub(error.detail, secrets: []))")
    }

    /// The body `uri` answered with `status` is not JSON.
    public static func invalidJSON(_ error: any Error, uri: String, status: Int) -> Self {
        Self(code: .invalidJSON, uri: uri, status: status, attempts: 1, underlying: error,
             detail: "GET \(URIResourceError.redacted(uri)): resource is not valid JSON: \(error)")
    }

    /// The resource at `uri` does not decode as `type`.
    public static func undecodable(_ error: any Error, uri: String, as type: Any.Type) -> Self {
        Self(code: .undecodable, uri: uri, underlying: error,
             detail: "GET \(URIResourceError.redacted(uri)): resource does not decode as \(type): \(error)")
    }

    /// The message pointing at `uri` cannot be handled: `problem`.
    public static func invalidMessage(_ problem: String, uri: String) -> Self {
        Self(code: .invalidMessage, uri: uri, detail: problem + (uri.isEmpty ? "" : " (uri \(URIResourceError.redacted(uri)))"))
    }

    public var description: String { detail }

    private static func after(_ attempts: Int) -> String {
        attempts > 1 ? " after \(attempts) attempts" : ""
    }

    /// `uri` without a user name or password, and without SigV4 signatures, credentials or tokens.
    static func redacted(_ uri: String) -> String {
        var text = uri
        if let schemeEnd = text.firstRange(of: "://") {
            let rest = text[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                text.replaceSubrange(schemeEnd.upperBound...at, with: "\(Redaction.placeholder)@")
            }
        }
        return Redaction.scrub(text, secrets: [])
    }
}
