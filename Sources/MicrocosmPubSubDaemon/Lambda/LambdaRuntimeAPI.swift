import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub

/// The Lambda Runtime API (version 2018-06-01) a custom runtime speaks: plain HTTP to the
/// `host:port` Lambda puts in `AWS_LAMBDA_RUNTIME_API`, unsigned, through the libcurl transport.
///
/// ```swift
/// let api = try LambdaRuntimeAPI(endpoint: environment["AWS_LAMBDA_RUNTIME_API"]!)
/// let invocation = try await api.next()                       // waits, with no timeout, for an event
/// try await api.respond(to: invocation.requestId, body: Array(#"{"batchItemFailures":[]}"#.utf8))
/// ```
///
/// The next-invocation request has no timeout (Lambda may freeze the process while it waits); the
/// others are bounded by ``requestTimeout``. A status other than the documented one (200 for the
/// next invocation, 202 for the rest) or no answer at all throws ``LambdaRuntimeError`` with code
/// ``LambdaRuntimeError/Code/runtimeAPI``.
public struct LambdaRuntimeAPI: Sendable {
    /// The variable Lambda sets to the Runtime API's `host:port`.
    public static let environmentVariable = "AWS_LAMBDA_RUNTIME_API"
    /// The path prefix of the API version spoken.
    public static let version = "/2018-06-01"

    /// The Runtime API's `host:port`.
    public let endpoint: String
    /// How long a response, an error report or an init error report may take.
    public var requestTimeout: Duration = .seconds(10)
    private let host: String
    private let port: Int?
    private let transport: any HTTPTransport

    /// The Runtime API at `endpoint` (`host:port`, as in `AWS_LAMBDA_RUNTIME_API`).
    ///
    /// Throws ``LambdaRuntimeError/invalidEndpoint(_:problem:)`` naming the variable when
    /// `endpoint` is not `host:port`.
    public init(endpoint: String, transport: (any HTTPTransport)? = nil) throws {
        let value = endpoint.trimmingSpaces()
        guard !value.isEmpty else { throw LambdaRuntimeError.invalidEndpoint(endpoint, problem: "it is empty") }
        guard !value.contains("://") else { throw LambdaRuntimeError.invalidEndpoint(endpoint, problem: "no scheme is expected") }
        guard !value.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "@" || $0 == " " }) else {
            throw LambdaRuntimeError.invalidEndpoint(endpoint, problem: "no path is expected")
        }
        let request: AWSHTTPRequest
        do {
            request = try AWSHTTPRequest(method: "GET", url: "http://\(value)/")
        } catch {
            throw LambdaRuntimeError.invalidEndpoint(endpoint, problem: error.detail)
        }
        guard value.hasSuffix(":\(request.port ?? 80)") else {
            throw LambdaRuntimeError.invalidEndpoint(endpoint, problem: "no port")
        }
        self.endpoint = value
        self.host = request.host
        self.port = request.port
        self.transport = transport ?? CurlTransport(connectTimeout: .seconds(5))
    }

    /// Waits for the next invocation (`GET /runtime/invocation/next`), with no timeout.
    public func next() async throws -> LambdaInvocation {
        let path = "/runtime/invocation/next"
        let response = try await send("GET", path, timeout: CurlTransport.noTimeout)
        guard response.status == 200 else { throw Self.unexpected("GET \(path)", response, expected: 200) }
        guard let invocation = LambdaInvocation(response: response) else {
            throw LambdaRuntimeError.runtimeAPI("GET \(path)", problem: "no Lambda-Runtime-Aws-Request-Id header")
        }
        return invocation
    }

    /// Sends the function's response to invocation `requestId` (`POST /runtime/invocation/{id}/response`).
    public func respond(to requestId: String, body: [UInt8]) async throws {
        let path = "/runtime/invocation/\(Self.escaped(requestId))/response"
        let response = try await send("POST", path, headers: ["Content-Type": "application/json"], body: body, timeout: requestTimeout)
        guard response.status == 202 else { throw Self.unexpected("POST \(path)", response, expected: 202) }
    }

    /// Reports that invocation `requestId` failed (`POST /runtime/invocation/{id}/error`): Lambda
    /// counts the invocation as failed, so an SQS batch returns to its queue whole.
    public func reportInvocationError(_ requestId: String, errorType: String, errorMessage: String) async throws {
        let path = "/runtime/invocation/\(Self.escaped(requestId))/error"
        let response = try await send("POST", path, headers: Self.errorHeaders(errorType),
                                      body: Self.errorBody(errorType: errorType, errorMessage: errorMessage), timeout: requestTimeout)
        guard response.status == 202 else { throw Self.unexpected("POST \(path)", response, expected: 202) }
    }

    /// Reports that the function cannot start (`POST /runtime/init/error`); the runtime should
    /// exit after it.
    public func reportInitError(errorType: String, errorMessage: String) async throws {
        let path = "/runtime/init/error"
        let response = try await send("POST", path, headers: Self.errorHeaders(errorType),
                                      body: Self.errorBody(errorType: errorType, errorMessage: errorMessage), timeout: requestTimeout)
        guard response.status == 202 else { throw Self.unexpected("POST \(path)", response, expected: 202) }
    }

    // MARK: Wire

    private func send(_ method: String, _ path: String, headers: AWSHTTPHeaders = [:], body: [UInt8] = [],
                      timeout: Duration) async throws -> AWSHTTPResponse {
        let request = AWSHTTPRequest(method: method, scheme: "http", host: host, port: port, path: Self.version + path,
                                  headers: headers, body: body)
        do {
            return try await transport.send(request, timeout: timeout)
        } catch let error as HTTPTransportError {
            throw LambdaRuntimeError.runtimeAPI("\(method) \(path)", problem: error.description, underlying: error)
        }
    }

    private static func errorHeaders(_ errorType: String) -> AWSHTTPHeaders {
        ["Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": errorType]
    }

    /// `{"errorMessage": ..., "errorType": ...}`
    static func errorBody(errorType: String, errorMessage: String) -> [UInt8] {
        Array(JSONSerializer.compact.string(.object(["errorMessage": .string(errorMessage), "errorType": .string(errorType)])).utf8)
    }

    private static func unexpected(_ request: String, _ response: AWSHTTPResponse, expected: Int) -> LambdaRuntimeError {
        let text = response.bodyText.prefix(300)
        return .runtimeAPI(request, problem: "HTTP \(response.status), expected \(expected)" + (text.isEmpty ? "" : ": \(text)"),
                           status: response.status)
    }

    /// `requestId` as one path segment (request ids are UUIDs; anything else is percent-encoded).
    private static func escaped(_ requestId: String) -> String {
        var text = ""
        for byte in requestId.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                text += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
