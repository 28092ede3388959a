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

/// The header plans a ``SigV4Signer`` made, shared by its copies: the most recently used few.
final class SigV4HeaderPlanCache: Sendable {
    /// Plans kept: a client signs a handful of header-name sequences (one per kind of request it sends).
    static let capacity = 8

    /// Most recently used first.
    private let plans = Mutex<[SigV4HeaderPlan]>([])

    /// The plan for `fields` signed with or without a session token, made on first use; nil when a name is not
    /// ASCII (the general path signs those).
    func plan(for fields: [AWSHTTPHeaders.Field], hasToken: Bool) -> SigV4HeaderPlan? {
        let cached: SigV4HeaderPlan? = plans.withLock { plans in
            guard let index = plans.firstIndex(where: { $0.matches(fields, hasToken: hasToken) }) else { return nil }
            if index != 0 { plans.insert(plans.remove(at: index), at: 0) }
            return plans[0]
        }
        if let cached { return cached }
        guard SigV4HeaderPlan.canPlan(fields) else { return nil }
        let plan = SigV4HeaderPlan(names: fields.map(\.name), hasToken: hasToken)
        plans.withLock { plans in
            guard !plans.contains(where: { $0.matches(fields, hasToken: hasToken) }) else { return }
            plans.insert(plan, at: 0)
            if plans.count > SigV4HeaderPlanCache.capacity { plans.removeLast() }
        }
        return plan
    }

    /// How many plans are cached.
    var count: Int { plans.withLock { $0.count } }
}
