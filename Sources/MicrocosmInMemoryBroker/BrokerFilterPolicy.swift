import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// An SNS subscription filter policy on message attributes, as the in-memory broker applies it.
///
/// Supported, with SNS's meaning: exact strings and numbers, `{"anything-but": value | [values] |
/// {"prefix": "p"}}`, `{"prefix": "p"}` and `{"exists": true | false}`. Conditions on one
/// attribute are alternatives (OR); attributes are all required (AND). A `String.Array`
/// attribute matches when one of its elements does. Anything else (numeric ranges, `suffix`,
/// `$or`, nested keys, ...) is rejected when parsing, so a subscription never filters in a way
/// the broker does not understand.
struct BrokerFilterPolicy: Equatable {
    enum Literal: Equatable {
        case string(String)
        case number(Double)
    }

    enum Condition: Equatable {
        case equals(Literal)
        case anythingBut([Literal])
        case anythingButPrefix(String)
        case prefix(String)
        case exists(Bool)
    }

    /// Attribute name and its alternatives, in name order.
    let rules: [(attribute: String, conditions: [Condition])]

    static func == (lhs: BrokerFilterPolicy, rhs: BrokerFilterPolicy) -> Bool {
        lhs.rules.map(\.attribute) == rhs.rules.map(\.attribute) && lhs.rules.map(\.conditions) == rhs.rules.map(\.conditions)
    }

    /// Parses a policy; the error says what the broker does not understand.
    init(json: String) throws(BrokerFilterPolicyError) {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(json)
        } catch {
            throw BrokerFilterPolicyError("is not valid JSON (\(error))")
        }
        guard let object = parsed.objectValue else { throw BrokerFilterPolicyError("must be a JSON object") }
        var rules: [(String, [Condition])] = []
        for (attribute, value) in object {
            if attribute.hasPrefix("$") {
                throw BrokerFilterPolicyError("operator '\(attribute)' is not supported by the in-memory broker")
            }
            guard let alternatives = value.arrayValue else {
                throw BrokerFilterPolicyError("attribute '\(attribute)' must map to an array of conditions "
                                                  + "(nested keys match message bodies, which the in-memory broker does not filter)")
            }
            guard !alternatives.isEmpty else { throw BrokerFilterPolicyError("attribute '\(attribute)' has no conditions") }
            rules.append((attribute, try alternatives.map { value throws(BrokerFilterPolicyError) in
                try Self.condition(value, attribute: attribute)
            }))
        }
        self.rules = rules.sorted { $0.0 < $1.0 }
    }

    /// True when `attributes` pass the policy.
    func matches(_ attributes: [String: MessageAttributeValue]) -> Bool {
        rules.allSatisfy { rule in
            let attribute = attributes[rule.attribute]
            return rule.conditions.contains { Self.condition($0, matches: attribute) }
        }
    }

    private static func condition(_ value: JSONValue, attribute: String) throws(BrokerFilterPolicyError) -> Condition {
        if let literal = literal(value) { return .equals(literal) }
        guard let object = value.objectValue, object.count == 1, let name = object.keys.first, let operand = object[name] else {
            throw BrokerFilterPolicyError("attribute '\(attribute)': \(value.briefDescription) is not a condition the "
                                              + "in-memory broker supports (a string, a number, or an object with one operator)")
        }
        switch name {
        case "prefix":
            guard let prefix = operand.stringValue else {
                throw BrokerFilterPolicyError("attribute '\(attribute)': prefix must be a string")
            }
            return .prefix(prefix)
        case "exists":
            guard let exists = operand.boolValue else {
                throw BrokerFilterPolicyError("attribute '\(attribute)': exists must be true or false")
            }
            return .exists(exists)
        case "anything-but":
            if let literal = literal(operand) { return .anythingBut([literal]) }
            if let list = operand.arrayValue {
                let literals = list.compactMap(Self.literal)
                guard literals.count == list.count, !literals.isEmpty else {
                    throw BrokerFilterPolicyError("attribute '\(attribute)': anything-but lists must hold strings or numbers")
                }
                return .anythingBut(literals)
            }
            if let inner = operand.objectValue, inner.count == 1, let prefix = inner["prefix"]?.stringValue {
                return .anythingButPrefix(prefix)
            }
            throw BrokerFilterPolicyError("attribute '\(attribute)': anything-but \(operand.briefDescription) is not supported "
                                              + "by the in-memory broker")
        default:
            throw BrokerFilterPolicyError("attribute '\(attribute)': operator '\(name)' is not supported by the in-memory broker "
                                              + "(supported: exact values, anything-but, prefix, exists)")
        }
    }

    private static func literal(_ value: JSONValue) -> Literal? {
        switch value {
        case .string(let text): .string(text)
        case .int(let number): .number(Double(number))
        case .double(let number): .number(number)
        default: nil
        }
    }

    private static func condition(_ condition: Condition, matches attribute: MessageAttributeValue?) -> Bool {
        if case .exists(let exists) = condition { return (attribute != nil) == exists }
        guard let attribute else { return false }
        let values = self.values(of: attribute)
        switch condition {
        case .equals(let literal):
            return values.contains(literal)
        case .anythingBut(let excluded):
            return !values.isEmpty && !values.contains(where: excluded.contains)
        case .anythingButPrefix(let prefix):
            return !values.isEmpty && !values.contains { if case .string(let text) = $0 { text.hasPrefix(prefix) } else { false } }
        case .prefix(let prefix):
            return values.contains { if case .string(let text) = $0 { text.hasPrefix(prefix) } else { false } }
        case .exists:
            return true
        }
    }

    /// What a condition compares with: a String's text, a Number's value, a String.Array's elements.
    private static func values(of attribute: MessageAttributeValue) -> [Literal] {
        guard let text = attribute.stringValue else { return [] }
        if attribute.dataType == "String.Array" {
            return (try? JSONParser.parse(text))?.arrayValue?.compactMap(literal) ?? []
        }
        if attribute.dataType.hasPrefix("Number") { return Double(text).map { [.number($0)] } ?? [] }
        if attribute.dataType.hasPrefix("String") { return [.string(text)] }
        return []
    }
}

/// Why a filter policy was rejected.
struct BrokerFilterPolicyError: Error {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
