import Foundation

/// Signs HTTP requests with AWS Signature Version 4 in the `Authorization` header, as botocore's `SigV4Auth` does.
///
/// ```swift
/// let signer = SigV4Signer(service: "sqs", region: "us-east-1")
/// let signed = signer.sign(request, credentials: credentials, date: Date())
/// signed.headers["Authorization"]   // "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws4_request, ..."
/// ```
///
/// Signing is pure: the same request, credentials and date give the same headers. Every header is signed except
/// the hop-by-hop ones botocore skips (`Connection`, `Expect`, `Keep-Alive`, `Proxy-Authenticate`,
/// `Proxy-Authorization`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`, `User-Agent`, `X-Amzn-Trace-Id`).
/// The signed host is the request's `Host` header when it has one, else ``HTTPRequest/hostHeader`` (the value the
/// transport sends); no `Host` header is added. The path is normalized and encoded as for every service but S3.
///
/// Signing keys are cached per secret and day, in a small cache shared by copies of the signer, so signing again
/// on the same day costs one HMAC for the key. Descriptions of the signer never show a secret.
public struct SigV4Signer: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The signing name of the service (`sqs`, `sns`, `sts`).
    public let service: String
    /// The region in the credential scope (`us-east-1`).
    public let region: String
    private let keyCache: SigningKeyCache

    /// A signer for `service` (its signing name) in `region`.
    public init(service: String, region: String) {
        self.service = service
        self.region = region
        keyCache = SigningKeyCache(service: service, region: region)
    }

    /// Returns `request` with X-Amz-Date (replaced), X-Amz-Security-Token (when the credentials have a session token)
    /// and Authorization set.
    ///
    /// An `Authorization` header already on the request is replaced (a retried request is signed afresh). The
    /// payload hash is the hex SHA-256 of the body, or the request's `X-Amz-Content-SHA256` header when present.
    public func sign(_ request: HTTPRequest, credentials: AWSCredentials, date: Date) -> HTTPRequest {
        let timestamp = SigV4Timestamp(date)
        var signed = prepared(request, credentials: credentials, timestamp: timestamp)
        let canonical = SigV4CanonicalRequest(signed)
        var mac = keyCache.signingKey(secretAccessKey: credentials.secretAccessKey, dateStamp: timestamp.dateStamp)
        withStringToSign(canonicalRequest: canonical.bytes, timestamp: timestamp) { mac.update(bufferPointer: $0) }
        var authorization: [UInt8] = []
        authorization.reserveCapacity(180 + credentials.accessKeyId.utf8.count + region.utf8.count + service.utf8.count
                                      + canonical.signedHeaders.count)
        authorization.append(contentsOf: "AWS4-HMAC-SHA256 Credential=".utf8)
        authorization.append(contentsOf: credentials.accessKeyId.utf8)
        authorization.append(UInt8(ascii: "/"))
        appendCredentialScope(timestamp, to: &authorization)
        authorization.append(contentsOf: ", SignedHeaders=".utf8)
        authorization.append(contentsOf: canonical.signedHeaders)
        authorization.append(contentsOf: ", Signature=".utf8)
        mac.finalize().appendHex(to: &authorization)
        signed.headers["Authorization"] = String(decoding: authorization, as: UTF8.self)
        return signed
    }

    /// The canonical request that ``sign(_:credentials:date:)`` signs for these inputs (for tests and debugging).
    package func canonicalRequest(for request: HTTPRequest, credentials: AWSCredentials, date: Date) -> String {
        SigV4CanonicalRequest(prepared(request, credentials: credentials, timestamp: SigV4Timestamp(date))).text
    }

    /// The string to sign that ``sign(_:credentials:date:)`` signs for these inputs (for tests and debugging).
    package func stringToSign(for request: HTTPRequest, credentials: AWSCredentials, date: Date) -> String {
        let timestamp = SigV4Timestamp(date)
        let canonical = SigV4CanonicalRequest(prepared(request, credentials: credentials, timestamp: timestamp))
        return withStringToSign(canonicalRequest: canonical.bytes, timestamp: timestamp) { String(decoding: $0, as: UTF8.self) }
    }

    /// The SigV4 signing key (kSigning) for a secret on a `yyyyMMdd` date, as hex-able bytes.
    package func signingKey(secretAccessKey: String, dateStamp: String) -> HashDigest {
        SigningKeyCache.derivedKey(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region,
                                   service: service)
    }

    /// The signing-key cache shared by this signer's copies.
    package var signingKeyCache: SigningKeyCache { keyCache }

    /// `request` with the headers botocore sets before it signs: no `Authorization`, `X-Amz-Date` set to the
    /// signing time, `X-Amz-Security-Token` set when the credentials carry a (non-empty) session token.
    private func prepared(_ request: HTTPRequest, credentials: AWSCredentials,
                          timestamp: SigV4Timestamp) -> HTTPRequest {
        var prepared = request
        // Room for the three headers signing may add, so that adding them (and Authorization after) copies the
        // fields once.
        prepared.headers.reserveCapacity(request.headers.count + 3)
        if prepared.headers.contains("Authorization") { prepared.headers["Authorization"] = nil }
        prepared.headers["X-Amz-Date"] = timestamp.amzDate
        if let token = credentials.sessionToken, !token.isEmpty {
            prepared.headers["X-Amz-Security-Token"] = token
        }
        return prepared
    }

    /// Appends `20150830/us-east-1/service/aws4_request`.
    private func appendCredentialScope(_ timestamp: SigV4Timestamp, to output: inout [UInt8]) {
        output.append(contentsOf: timestamp.dateStamp.utf8)
        output.append(UInt8(ascii: "/"))
        output.append(contentsOf: region.utf8)
        output.append(UInt8(ascii: "/"))
        output.append(contentsOf: service.utf8)
        output.append(contentsOf: "/aws4_request".utf8)
    }

    /// Calls `body` with `AWS4-HMAC-SHA256`, the time, the credential scope and the hex SHA-256 of the canonical
    /// request, one a line.
    private func withStringToSign<Result>(canonicalRequest: [UInt8], timestamp: SigV4Timestamp,
                                          _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var text: [UInt8] = []
        text.reserveCapacity(64 + timestamp.amzDate.utf8.count + timestamp.dateStamp.utf8.count + region.utf8.count
                             + service.utf8.count + 2 * SHA256.byteCount)
        text.append(contentsOf: "AWS4-HMAC-SHA256\n".utf8)
        text.append(contentsOf: timestamp.amzDate.utf8)
        text.append(UInt8(ascii: "\n"))
        appendCredentialScope(timestamp, to: &text)
        text.append(UInt8(ascii: "\n"))
        SHA256.hash(canonicalRequest).appendHex(to: &text)
        return text.withUnsafeBytes(body)
    }

    /// `SigV4Signer(service: sqs, region: us-east-1)`.
    public var description: String { "SigV4Signer(service: \(service), region: \(region))" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// Service and region only.
    public var customMirror: Mirror { Mirror(self, children: ["service": service, "region": region]) }
}
