import Synchronization

/// How ``SigV4Signer`` lays out the headers of every request with one sequence of header names: the signed fields
/// (which of the request's fields are kept, where `X-Amz-Date` and `X-Amz-Security-Token` go), and the canonical
/// header lines in their sorted order with the lower-cased `name:` of each and the signed-headers list written out.
///
/// A client signs the same names again and again (an SQS client: `Content-Type`, `X-Amz-Target`, ...; only the
/// values and the date change), so a plan is made once per name sequence, by the same rules the general path
/// applies per request (``SigV4CanonicalRequest``), and signing with it appends each line's ready `name:` and the
/// trimmed values. Plans exist only for names that are all ASCII (header names are ASCII tokens); any other name
/// goes the general way.
final class SigV4HeaderPlan: Sendable {
    /// Where a signed field's value comes from.
    enum Value: Sendable {
        case field, date, token
    }

    /// One signed field (the `Authorization` comes after them all).
    struct Output: Sendable {
        /// The request's field it is (its name; its value too for `.field`), or -1 for a field added at the end.
        let field: Int
        let value: Value
    }

    /// One canonical header line.
    struct Line: Sendable {
        /// `name:` in ``text``.
        let prefix: Range<Int>
        /// Its values, in ``members``.
        let members: Range<Int>
    }

    /// The request's header names, byte for byte, in order: what the plan is for, with ``hasToken``.
    let names: [String]
    /// Whether the credentials carry a (non-empty) session token.
    let hasToken: Bool
    /// The signed fields in order.
    let outputs: [Output]
    /// The canonical header lines in order.
    let lines: [Line]
    /// The values of the lines, joined with "," in a line: indices into ``outputs``, or -1 for the host the request
    /// implies (``AWSHTTPRequest/hostHeader``) when no field is a `Host` header.
    let members: [Int]
    /// Each line's `name:`, then the signed-headers list.
    let text: [UInt8]
    /// The signed-headers list (`content-type;host;x-amz-date`) in ``text``.
    let signedHeaders: Range<Int>
    /// The first signed field named `X-Amz-Content-SHA256` (any case), whose value is the payload hash, if any.
    let payloadHash: Int?
    /// True when a line holds the implied host (no field is a `Host` header).
    let signsImpliedHost: Bool

    /// The plan for requests whose header names are `names` (all ASCII), signed with or without a session token.
    init(names: [String], hasToken: Bool) {
        self.names = names
        self.hasToken = hasToken
        // SigV4Signer.signedFields' rules, applied to the names.
        var outputs: [Output] = []
        var dateSet = false, tokenSet = false
        for (index, name) in names.enumerated() {
            if name.caseInsensitiveEquals("X-Amz-Date") {
                if !dateSet { outputs.append(Output(field: index, value: .date)) }
                dateSet = true
            } else if hasToken, name.caseInsensitiveEquals("X-Amz-Security-Token") {
                if !tokenSet { outputs.append(Output(field: index, value: .token)) }
                tokenSet = true
            } else if !name.caseInsensitiveEquals("Authorization") {
                outputs.append(Output(field: index, value: .field))
            }
        }
        if !dateSet { outputs.append(Output(field: -1, value: .date)) }
        if hasToken, !tokenSet { outputs.append(Output(field: -1, value: .token)) }
        self.outputs = outputs

        // The signed names lower-cased, with their field; sorted by bytes, fields of one name in request order.
        var entries: [(name: [UInt8], member: Int, order: Int)] = []
        var payloadHash: Int?
        for (position, output) in outputs.enumerated() {
            let name = output.field >= 0 ? names[output.field] : SigV4HeaderPlan.addedName(output.value)
            let lowered = Array(name.utf8).map { $0 &+ ($0 &- 0x41 < 26 ? 0x20 : 0) }
            if lowered.withUnsafeBufferPointer({ SigV4CanonicalRequest.isUnsigned($0) }) { continue }
            if payloadHash == nil && lowered == Array("x-amz-content-sha256".utf8) { payloadHash = position }
            entries.append((lowered, position, position))
        }
        let hostName = Array("host".utf8)
        signsImpliedHost = !entries.contains { $0.name == hostName }
        if signsImpliedHost { entries.append((hostName, -1, outputs.count)) }
        entries.sort { $0.name == $1.name ? $0.order < $1.order : $0.name.lexicographicallyPrecedes($1.name) }

        var lines: [Line] = []
        var members: [Int] = []
        var text: [UInt8] = []
        var signedNames: [[UInt8]] = []
        var index = 0
        while index < entries.count {
            let name = entries[index].name
            let prefixStart = text.count
            text += name
            text.append(UInt8(ascii: ":"))
            let membersStart = members.count
            while index < entries.count && entries[index].name == name {
                members.append(entries[index].member)
                index += 1
            }
            lines.append(Line(prefix: prefixStart..<text.count, members: membersStart..<members.count))
            signedNames.append(name)
        }
        let signedStart = text.count
        text += signedNames.joined(separator: [UInt8(ascii: ";")])
        self.lines = lines
        self.members = members
        self.text = text
        signedHeaders = signedStart..<text.count
        self.payloadHash = payloadHash
    }

    /// The name of an added `X-Amz-Date` or `X-Amz-Security-Token` field.
    static func addedName(_ value: Value) -> String {
        value == .token ? "X-Amz-Security-Token" : "X-Amz-Date"
    }

    /// True when `fields` have exactly this plan's names (byte for byte) and `hasToken` is the plan's.
    ///
    /// Names are compared with `==` after their UTF-8 counts: the plan's names are ASCII, and a string that Swift
    /// finds canonically equivalent to an ASCII string but with other bytes (`\u{212A}`, the Kelvin sign, equals
    /// `K`) is always longer in UTF-8, since every character that decomposes to ASCII is itself more than one byte.
    func matches(_ fields: [AWSHTTPHeaders.Field], hasToken: Bool) -> Bool {
        guard hasToken == self.hasToken && fields.count == names.count else { return false }
        for index in fields.indices {
            let name = fields[index].name, planned = names[index]
            if name.utf8.count != planned.utf8.count || name != planned { return false }
        }
        return true
    }

    /// True when a plan can be made for `fields`: every name is ASCII.
    static func canPlan(_ fields: [AWSHTTPHeaders.Field]) -> Bool {
        fields.allSatisfy { field in field.name.utf8.allSatisfy { $0 < 0x80 } }
    }
}

/// The canonical request a plan last wrote, up to its payload hash (from the method to the signed-headers list and
/// its newline), with the SHA-256 state after its whole blocks: a client sending many requests with the same
/// header values within a second (the `X-Amz-Date` is a value) signs each with this text and state, appending only
/// the payload hash and hashing the rest from the state, which saves writing the text and about three of a typical
/// request's fifteen compressions.
///
/// Made only when the method, path, query, host and every value are ASCII, so that ``matches(_:fields:)`` can
/// compare with `==` after the UTF-8 count (see ``SigV4HeaderPlan/matches(_:hasToken:)``), and only for plans
/// whose payload hash is the body's.
final class SigV4CanonicalPrefix: Sendable {
    let method: String
    let path: String
    let query: String?
    let host: String
    let port: Int?
    /// The signed fields' values, in order.
    let values: [String]
    /// The canonical request up to its payload hash.
    let bytes: [UInt8]
    /// The signed-headers list in ``bytes``.
    let signedHeaders: Range<Int>
    /// The SHA-256 state after the first ``compressedByteCount`` bytes (whole blocks) of ``bytes``.
    let state: SHA256.State
    let compressedByteCount: Int

    /// The signing second (whole seconds since 1970), its `X-Amz-Date`, and the credentials: with the same second
    /// and credentials (byte for byte), the rest of the signature comes from here too.
    let second: Int64
    let amzDate: String
    let accessKeyId: String
    let secretAccessKey: String
    /// The signing key of the day.
    let key: HMACKeyState
    /// The HMAC's inner state after the whole blocks of the string to sign's first lines (all but the canonical
    /// request's hash): ``stringToSignCompressedByteCount`` bytes; the rest of them is ``stringToSignTail``.
    let stringToSignState: SHA256.State
    let stringToSignCompressedByteCount: Int
    let stringToSignTail: [UInt8]
    /// The `Authorization` value but its 64 hex digits of signature.
    let authorizationPrefix: [UInt8]

    /// The prefix of `canonicalRequest` (written for `request` with `fields`), with what the signature of
    /// `stringToSign` and `authorization` took; nil when something is not ASCII.
    init?(request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field], canonicalRequest: UnsafeRawBufferPointer,
          signedHeaders: Range<Int>, engine: SHA256.Engine, second: Int64, amzDate: String, credentials: AWSCredentials,
          key: HMACKeyState, stringToSign: UnsafeRawBufferPointer, authorization: UnsafeRawBufferPointer) {
        func ascii(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }
        guard ascii(request.method), ascii(request.path), ascii(request.query ?? ""), ascii(request.host),
              ascii(credentials.accessKeyId), ascii(credentials.secretAccessKey), ascii(amzDate),
              fields.allSatisfy({ ascii($0.value) }), canonicalRequest.count >= 64, stringToSign.count >= 64,
              authorization.count >= 64 else { return nil }
        self.second = second
        self.amzDate = amzDate
        accessKeyId = credentials.accessKeyId
        secretAccessKey = credentials.secretAccessKey
        self.key = key
        let stringToSignLines = stringToSign.count - 64   // the canonical request's hash is 64 hex digits
        let stringToSignBlocks = stringToSignLines / SHA256.blockByteCount
        stringToSignCompressedByteCount = stringToSignBlocks * SHA256.blockByteCount
        stringToSignState = SHA256.state(continuing: key.inner, blocks: stringToSign.baseAddress!, count: stringToSignBlocks,
                                         engine: engine)
        stringToSignTail = Array(stringToSign[stringToSignCompressedByteCount..<stringToSignLines])
        authorizationPrefix = Array(authorization.prefix(authorization.count - 64))
        method = request.method
        path = request.path
        query = request.query
        host = request.host
        port = request.port
        values = fields.map(\.value)
        bytes = Array(canonicalRequest.prefix(canonicalRequest.count - 64))   // the payload hash is 64 hex digits
        self.signedHeaders = signedHeaders
        let blocks = bytes.count / SHA256.blockByteCount
        compressedByteCount = blocks * SHA256.blockByteCount
        state = bytes.withUnsafeBytes { SHA256.state(afterBlocks: $0.baseAddress!, count: blocks, engine: engine) }
    }

    /// True when `request` with the signed `fields` has this prefix: the same method, path, query, host, port and
    /// values, byte for byte.
    func matches(_ request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field]) -> Bool {
        guard fields.count == values.count, request.port == port,
              SigV4CanonicalPrefix.same(request.method, method), SigV4CanonicalPrefix.same(request.path, path),
              SigV4CanonicalPrefix.same(request.host, host) else { return false }
        switch (request.query, query) {
        case (nil, nil): break
        case let (given?, kept?): if !SigV4CanonicalPrefix.same(given, kept) { return false }
        default: return false
        }
        for index in fields.indices where !SigV4CanonicalPrefix.same(fields[index].value, values[index]) { return false }
        return true
    }

    /// True when this prefix was made at `second` with `credentials`' access key and secret (byte for byte).
    func matches(second: Int64, credentials: AWSCredentials) -> Bool {
        second == self.second && SigV4CanonicalPrefix.same(credentials.secretAccessKey, secretAccessKey)
            && SigV4CanonicalPrefix.same(credentials.accessKeyId, accessKeyId)
    }

    /// Byte equality of `given` with the ASCII `kept` (see ``SigV4HeaderPlan/matches(_:hasToken:)``).
    @inline(__always)
    private static func same(_ given: String, _ kept: String) -> Bool {
        given.utf8.count == kept.utf8.count && given == kept
    }
}

/// The header plans a ``SigV4Signer`` made, shared by its copies: the most recently used few, each with the
/// canonical request it last wrote (``SigV4CanonicalPrefix``).
final class SigV4HeaderPlanCache: Sendable {
    /// Plans kept: a client signs a handful of header-name sequences (one per kind of request it sends).
    static let capacity = 8

    private struct Entry {
        let plan: SigV4HeaderPlan
        var prefix: SigV4CanonicalPrefix?
        /// The second of the last signature that took the plan's path (not the prefix's).
        var lastSecond: Int64 = .min
    }

    /// Most recently used first.
    private let entries = Mutex<[Entry]>([])

    /// The plan for `fields` signed with or without a session token, made on first use (nil when a name is not ASCII:
    /// the general path signs those), and the canonical prefix last stored for it.
    func plan(for fields: [AWSHTTPHeaders.Field], hasToken: Bool) -> (plan: SigV4HeaderPlan, prefix: SigV4CanonicalPrefix?)? {
        let cached: Entry? = entries.withLock { entries in
            guard let index = entries.firstIndex(where: { $0.plan.matches(fields, hasToken: hasToken) }) else { return nil }
            if index != 0 { entries.insert(entries.remove(at: index), at: 0) }
            return entries[0]
        }
        if let cached { return (cached.plan, cached.prefix) }
        guard SigV4HeaderPlan.canPlan(fields) else { return nil }
        let plan = SigV4HeaderPlan(names: fields.map(\.name), hasToken: hasToken)
        entries.withLock { entries in
            guard !entries.contains(where: { $0.plan.matches(fields, hasToken: hasToken) }) else { return }
            entries.insert(Entry(plan: plan, prefix: nil), at: 0)
            if entries.count > SigV4HeaderPlanCache.capacity { entries.removeLast() }
        }
        return (plan, nil)
    }

    /// Records a signature with `plan` at `second` that did not use a prefix, and returns true when the one before
    /// was in the same second too: only then is a prefix worth making (a prefix costs more to make than it saves
    /// on one signature, and a client that signs once in a while would make one per signature and never use it).
    func repeatsWithinSecond(_ plan: SigV4HeaderPlan, second: Int64) -> Bool {
        entries.withLock { entries in
            guard let index = entries.firstIndex(where: { $0.plan === plan }) else { return false }
            defer { entries[index].lastSecond = second }
            return entries[index].lastSecond == second
        }
    }

    /// Keeps `prefix` as the last canonical request written with `plan` (when the plan is still cached).
    func store(_ prefix: SigV4CanonicalPrefix, for plan: SigV4HeaderPlan) {
        entries.withLock { entries in
            if let index = entries.firstIndex(where: { $0.plan === plan }) { entries[index].prefix = prefix }
        }
    }

    /// How many plans are cached.
    var count: Int { entries.withLock { $0.count } }
}
