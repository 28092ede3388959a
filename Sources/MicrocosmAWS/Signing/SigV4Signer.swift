#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
/// The signed host is the request's `Host` header when it has one, else ``AWSHTTPRequest/hostHeader`` (the value the
/// transport sends); no `Host` header is added. The path is normalized and encoded as for every service but S3.
///
/// Signing keys are cached per secret and day, in a small cache shared by copies of the signer, so signing again
/// on the same day costs one HMAC for the key. So is the layout of the headers per sequence of header names
/// (lower-cased names, sort order, signed-headers list), and with it the canonical request last written up to its
/// payload hash: a client signing requests with the same header values within a second hashes only the body and
/// what follows it. Descriptions of the signer never show a secret.
public struct SigV4Signer: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The signing name of the service (`sqs`, `sns`, `sts`).
    public let service: String
    /// The region in the credential scope (`us-east-1`).
    public let region: String
    private let keyCache: SigningKeyCache
    private let timestamps = SigV4TimestampCache()
    /// nil: every request takes the general path (the reference the plans are tested against).
    private let headerPlans: SigV4HeaderPlanCache?
    private let engine: SHA256.Engine

    /// A signer for `service` (its signing name) in `region`.
    public init(service: String, region: String) {
        self.init(service: service, region: region, engine: SHA256.preferredEngine)
    }

    /// A signer whose hashes compress with `engine` (the benches compare the engines; it must be available), and
    /// which lays out the headers of repeated header-name sequences from cached plans unless `headerPlans` is false
    /// (the general path, for tests to compare with).
    package init(service: String, region: String, engine: SHA256.Engine, headerPlans: Bool = true) {
        self.service = service
        self.region = region
        self.engine = engine
        keyCache = SigningKeyCache(service: service, region: region, engine: engine)
        self.headerPlans = headerPlans ? SigV4HeaderPlanCache() : nil
    }

    /// Returns `request` with X-Amz-Date (replaced), X-Amz-Security-Token (when the credentials have a session token)
    /// and Authorization set.
    ///
    /// An `Authorization` header already on the request is replaced (a retried request is signed afresh). The
    /// payload hash is the hex SHA-256 of the body, or the request's `X-Amz-Content-SHA256` header when present.
    public func sign(_ request: AWSHTTPRequest, credentials: AWSCredentials, date: Date) -> AWSHTTPRequest {
        let token = credentials.sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        let planned = headerPlans?.plan(for: request.headers.fields, hasToken: token != nil)
        if let planned, let prefix = planned.prefix,
           prefix.matches(second: SigV4TimestampCache.second(of: date), credentials: credentials) {
            // Signed before in this second with these credentials and header names: when the method, path, query,
            // host and values are the same too, only the payload hash is new.
            var fields = signedFields(request, token: token, amzDate: prefix.amzDate, plan: planned.plan)
            if prefix.matches(request, fields: fields) {
                fields.append(AWSHTTPHeaders.Field(name: "Authorization", value: authorization(prefix, body: request.body)))
                var signed = request
                signed.headers = AWSHTTPHeaders(fields)
                return signed
            }
        }
        let timestamp = timestamps.timestamp(for: date)
        var fields = signedFields(request, token: token, amzDate: timestamp.amzDate, plan: planned?.plan)
        let key = keyCache.signingKey(secretAccessKey: credentials.secretAccessKey, dateStamp: timestamp.dateStamp)
        // "AWS4-HMAC-SHA256 Credential=" AKID "/" scope ", SignedHeaders=" names ", Signature=" 64 hex digits.
        let authorizationBound = 28 + credentials.accessKeyId.utf8.count + 1 + credentialScopeByteCount(timestamp) + 16 + 12 + 64
        // Heap memory, not a closure-scoped stack buffer: the optimizer copied the signer, the request and the
        // credentials into such a closure's context for every signature (retains and releases that cost more than
        // one malloc and free of a block this size).
        let capacity = signingTextCapacity(request, fields: fields, plan: planned?.plan, timestamp: timestamp,
                                           extraCapacity: authorizationBound)
        let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        defer { memory.deallocate() }
        var buffer = SigV4Buffer(memory)
        let text = writeSigningText(request, fields: fields, plan: planned?.plan, timestamp: timestamp, to: &buffer)
        let authorizationStart = buffer.count
        let authorization = writeAuthorization(key: key, credentials: credentials, text: text.stringToSignText,
                                               signedHeaders: buffer[text.signedHeaders], to: &buffer)
        if let plan = planned?.plan, plan.payloadHash == nil,
           headerPlans?.repeatsWithinSecond(plan, second: SigV4TimestampCache.second(of: date)) == true,
           let prefix = SigV4CanonicalPrefix(request: request, fields: fields, canonicalRequest: buffer[text.canonicalRequest],
                                             signedHeaders: text.signedHeaders, engine: engine,
                                             second: SigV4TimestampCache.second(of: date), amzDate: timestamp.amzDate,
                                             credentials: credentials, key: key, stringToSign: buffer[text.stringToSign],
                                             authorization: buffer[authorizationStart..<buffer.count]) {
            headerPlans?.store(prefix, for: plan)
        }
        // signedFields(...) left out any Authorization header already there.
        fields.append(AWSHTTPHeaders.Field(name: "Authorization", value: authorization))
        var signed = request
        signed.headers = AWSHTTPHeaders(fields)
        return signed
    }

    /// The `Authorization` value for a request whose canonical request is `prefix`'s followed by the hash of `body`:
    /// the canonical request's last block(s) hashed on from the prefix's state, then the string to sign's from its
    /// inner state, then the outer hash; the value is the prefix's with the signature's hex digits appended.
    private func authorization(_ prefix: SigV4CanonicalPrefix, body: [UInt8]) -> String {
        // The rest of a block (under 64 bytes) and 64 hex digits, twice over.
        var scratch: (SIMD64<UInt8>, SIMD64<UInt8>) = (SIMD64(), SIMD64())
        let engine = self.engine
        let signature = withUnsafeMutableBytes(of: &scratch) { scratch in
            var buffer = SigV4Buffer(scratch.bindMemory(to: UInt8.self))
            prefix.bytes.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[prefix.compressedByteCount...])) }
            buffer.appendHex(body.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: engine) })
            let canonicalHash = SHA256.digest(continuing: prefix.state, afterByteCount: prefix.compressedByteCount,
                                              bufferPointer: buffer[0..<buffer.count], engine: engine)
            buffer = SigV4Buffer(scratch.bindMemory(to: UInt8.self))
            prefix.stringToSignTail.withUnsafeBytes { buffer.append($0) }
            buffer.appendHex(canonicalHash)
            return prefix.key.mac(continuing: prefix.stringToSignState, afterByteCount: prefix.stringToSignCompressedByteCount,
                                  bufferPointer: buffer[0..<buffer.count])
        }
        return String(unsafeUninitializedCapacity: prefix.authorizationPrefix.count + 64) { memory in
            var buffer = SigV4Buffer(memory)
            prefix.authorizationPrefix.withUnsafeBytes { buffer.append($0) }
            buffer.appendHex(signature)
            return buffer.count
        }
    }

    /// Appends the `Authorization` value for the string to sign in `text` to `buffer` and returns it as a String.
    private func writeAuthorization(key: HMACKeyState, credentials: AWSCredentials, text: StringToSignText,
                                    signedHeaders: UnsafeRawBufferPointer, to buffer: inout SigV4Buffer) -> String {
        let signature = key.mac(bufferPointer: buffer[text.stringToSign])
        let start = buffer.count
        buffer.append("AWS4-HMAC-SHA256 Credential=" as StaticString)
        buffer.append(credentials.accessKeyId)
        buffer.append(UInt8(ascii: "/"))
        buffer.appendCopy(of: text.credentialScope)
        buffer.append(", SignedHeaders=" as StaticString)
        buffer.append(signedHeaders)
        buffer.append(", Signature=" as StaticString)
        buffer.appendHex(signature)
        return String(decoding: buffer[start..<buffer.count], as: UTF8.self)
    }

    /// The canonical request that ``sign(_:credentials:date:)`` signs for these inputs (for tests and debugging).
    package func canonicalRequest(for request: AWSHTTPRequest, credentials: AWSCredentials, date: Date) -> String {
        withSigningText(request, credentials: credentials, date: date) { buffer, text in
            String(decoding: buffer[text.canonicalRequest], as: UTF8.self)
        }
    }

    /// The string to sign that ``sign(_:credentials:date:)`` signs for these inputs (for tests and debugging).
    package func stringToSign(for request: AWSHTTPRequest, credentials: AWSCredentials, date: Date) -> String {
        withSigningText(request, credentials: credentials, date: date) { buffer, text in
            String(decoding: buffer[text.stringToSign], as: UTF8.self)
        }
    }

    /// The SigV4 signing key (kSigning) for a secret on a `yyyyMMdd` date, as hex-able bytes.
    package func signingKey(secretAccessKey: String, dateStamp: String) -> HashDigest {
        SigningKeyCache.derivedKey(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region,
                                   service: service)
    }

    /// The signing-key cache shared by this signer's copies.
    package var signingKeyCache: SigningKeyCache { keyCache }

    /// How many header plans this signer and its copies have cached (nil: the signer makes none).
    package var headerPlanCount: Int? { headerPlans?.count }

    /// The header fields of `request` as botocore sets them before it signs: no `Authorization`, `X-Amz-Date` set to
    /// the signing time, `X-Amz-Security-Token` set when there is a (non-empty) session `token`; with room for one
    /// more field (the `Authorization`). With a `plan`, the plan says which field goes where.
    ///
    /// One pass over the fields, doing what `headers[name] = value` does for each: the first X-Amz-Date (and
    /// X-Amz-Security-Token) keeps its place with the new value, later ones go; a missing one is added at the end.
    private func signedFields(_ request: AWSHTTPRequest, token: String?, amzDate: String,
                              plan: SigV4HeaderPlan?) -> [AWSHTTPHeaders.Field] {
        var fields: [AWSHTTPHeaders.Field] = []
        let source = request.headers.fields
        if let plan {
            fields.reserveCapacity(plan.outputs.count + 1)
            for output in plan.outputs {
                switch output.value {
                case .field:
                    fields.append(source[output.field])
                case .date:
                    fields.append(AWSHTTPHeaders.Field(name: output.field >= 0 ? source[output.field].name : "X-Amz-Date",
                                                       value: amzDate))
                case .token:
                    fields.append(AWSHTTPHeaders.Field(
                        name: output.field >= 0 ? source[output.field].name : "X-Amz-Security-Token", value: token ?? ""))
                }
            }
            return fields
        }
        fields.reserveCapacity(source.count + 3)
        var dateSet = false, tokenSet = false
        for field in source {
            let name = field.name
            if name.caseInsensitiveEquals("X-Amz-Date") {
                if !dateSet { fields.append(AWSHTTPHeaders.Field(name: name, value: amzDate)) }
                dateSet = true
            } else if let token, name.caseInsensitiveEquals("X-Amz-Security-Token") {
                if !tokenSet { fields.append(AWSHTTPHeaders.Field(name: name, value: token)) }
                tokenSet = true
            } else if !name.caseInsensitiveEquals("Authorization") {
                fields.append(field)
            }
        }
        if !dateSet { fields.append(AWSHTTPHeaders.Field(name: "X-Amz-Date", value: amzDate)) }
        if let token, !tokenSet { fields.append(AWSHTTPHeaders.Field(name: "X-Amz-Security-Token", value: token)) }
        return fields
    }

    /// Where the canonical request, the string to sign, its credential scope and the signed-headers list are in the
    /// signing buffer.
    private struct SigningText {
        let canonicalRequest: Range<Int>
        let stringToSign: Range<Int>
        let credentialScope: Range<Int>
        let signedHeaders: Range<Int>

        var stringToSignText: StringToSignText {
            StringToSignText(stringToSign: stringToSign, credentialScope: credentialScope)
        }
    }

    /// Where the string to sign and its credential scope are in the signing buffer.
    private struct StringToSignText {
        let stringToSign: Range<Int>
        let credentialScope: Range<Int>
    }

    /// Calls `body` with the signing text of `request` signed with `credentials` at `date` (see
    /// ``writeSigningText(_:fields:plan:timestamp:to:)``), in a stack buffer.
    private func withSigningText<Result>(_ request: AWSHTTPRequest, credentials: AWSCredentials, date: Date,
                                         _ body: (inout SigV4Buffer, SigningText) -> Result) -> Result {
        let timestamp = timestamps.timestamp(for: date)
        let token = credentials.sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        let plan = headerPlans?.plan(for: request.headers.fields, hasToken: token != nil)?.plan
        let fields = signedFields(request, token: token, amzDate: timestamp.amzDate, plan: plan)
        let capacity = signingTextCapacity(request, fields: fields, plan: plan, timestamp: timestamp, extraCapacity: 0)
        return SigV4Buffer.withTemporary(capacity: capacity) { buffer in
            let text = writeSigningText(request, fields: fields, plan: plan, timestamp: timestamp, to: &buffer)
            return body(&buffer, text)
        }
    }

    /// The bytes ``writeSigningText(_:fields:plan:timestamp:to:)`` may write, plus `extraCapacity`.
    private func signingTextCapacity(_ request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field], plan: SigV4HeaderPlan?,
                                     timestamp: SigV4Timestamp, extraCapacity: Int) -> Int {
        let canonicalBound: Int
        if let plan {
            // The signed-headers list is copied again into the Authorization.
            canonicalBound = SigV4CanonicalRequest.byteCountBound(of: request, fields: fields, plan: plan) + plan.signedHeaders.count
        } else {
            let bounds = SigV4CanonicalRequest.byteCountBounds(of: request, fields: fields)
            canonicalBound = bounds.canonicalRequest + bounds.signedHeaders
        }
        return canonicalBound + stringToSignBound(timestamp) + extraCapacity
    }

    /// Writes the canonical request of `request` with header `fields` (laid out by `plan`, when there is one), then
    /// the string to sign (`AWS4-HMAC-SHA256`, the time, the credential scope and the hex SHA-256 of the canonical
    /// request, one a line), into `buffer`.
    private func writeSigningText(_ request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field], plan: SigV4HeaderPlan?,
                                  timestamp: SigV4Timestamp, to buffer: inout SigV4Buffer) -> SigningText {
        let signedHeaders = if let plan {
            SigV4CanonicalRequest.write(request, fields: fields, plan: plan, engine: engine, to: &buffer)
        } else {
            SigV4CanonicalRequest.write(request, fields: fields, engine: engine, to: &buffer)
        }
        let canonicalRequest = 0..<buffer.count
        let text = writeStringToSign(SHA256.hash(bufferPointer: buffer[canonicalRequest], engine: engine), timestamp: timestamp,
                                     to: &buffer)
        return SigningText(canonicalRequest: canonicalRequest, stringToSign: text.stringToSign,
                           credentialScope: text.credentialScope, signedHeaders: signedHeaders)
    }

    /// Appends the string to sign (`AWS4-HMAC-SHA256`, the time, the credential scope and the hex `canonicalHash`,
    /// one a line) to `buffer`.
    private func writeStringToSign(_ canonicalHash: HashDigest, timestamp: SigV4Timestamp,
                                   to buffer: inout SigV4Buffer) -> StringToSignText {
        let start = buffer.count
        buffer.append("AWS4-HMAC-SHA256\n" as StaticString)
        buffer.append(timestamp.amzDate)
        buffer.append(UInt8(ascii: "\n"))
        let scopeStart = buffer.count
        appendCredentialScope(timestamp, to: &buffer)
        let credentialScope = scopeStart..<buffer.count
        buffer.append(UInt8(ascii: "\n"))
        buffer.appendHex(canonicalHash)
        return StringToSignText(stringToSign: start..<buffer.count, credentialScope: credentialScope)
    }

    /// The bytes ``writeStringToSign(_:timestamp:to:)`` may write.
    private func stringToSignBound(_ timestamp: SigV4Timestamp) -> Int {
        17 + timestamp.amzDate.utf8.count + 1 + credentialScopeByteCount(timestamp) + 1 + 64
    }

    /// Appends `20150830/us-east-1/service/aws4_request`.
    private func appendCredentialScope(_ timestamp: SigV4Timestamp, to output: inout SigV4Buffer) {
        output.append(timestamp.dateStamp)
        output.append(UInt8(ascii: "/"))
        output.append(region)
        output.append(UInt8(ascii: "/"))
        output.append(service)
        output.append("/aws4_request" as StaticString)
    }

    private func credentialScopeByteCount(_ timestamp: SigV4Timestamp) -> Int {
        timestamp.dateStamp.utf8.count + 1 + region.utf8.count + 1 + service.utf8.count + 13
    }

    /// `SigV4Signer(service: sqs, region: us-east-1)`.
    public var description: String { "SigV4Signer(service: \(service), region: \(region))" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// Service and region only.
    public var customMirror: Mirror { Mirror(self, children: ["service": service, "region": region]) }
}
