import MicrocosmJSON
/// The defaults a binding declares: plain values, ``Requirement``s and nested sections.
///
/// They become the configuration section named after the binding, below everything loaded.
/// ```swift
/// let defaults: ConfigDefaults = [
///     "limit": .typed(.int, default: 10),
///     "endpoint_url": nil,
///     "retries": ["max_attempts": 3],
/// ]
/// ```
public struct ConfigDefaults: Sendable, ExpressibleByDictionaryLiteral {
    /// The entries in declaration order.
    public var entries: [(key: String, value: ConfigDefault)]

    public init(_ entries: [(key: String, value: ConfigDefault)] = []) { self.entries = entries }

    public init(dictionaryLiteral elements: (String, ConfigDefault)...) {
        entries = elements.map { (key: $0.0, value: $0.1) }
    }

    /// The plain values. Requirements are absent: the graph resolves each one after loading (a supplied value,
    /// else the mock when testing, else the default), so a requirement's default never merges with a loaded value
    /// (a loaded list replaces a default list rather than appending to it), as in microcosm.
    public var values: JSONObject {
        var object = JSONObject()
        for (key, entry) in entries {
            switch entry {
            case .value(let value): object[key] = value
            case .requirement: break
            case .section(let section): object[key] = .object(section.values)
            }
        }
        return object
    }

    /// The path of every nested section below `prefix` (a section's before its own sections').
    public func sectionPaths(under prefix: ConfigKeyPath) -> [ConfigKeyPath] {
        entries.flatMap { key, entry -> [ConfigKeyPath] in
            guard case .section(let section) = entry else { return [] }
            return [prefix.appending(key)] + section.sectionPaths(under: prefix.appending(key))
        }
    }

    /// Every requirement with its path below `prefix`.
    public func requirements(under prefix: ConfigKeyPath) -> [(keyPath: ConfigKeyPath, requirement: Requirement)] {
        entries.flatMap { key, entry -> [(keyPath: ConfigKeyPath, requirement: Requirement)] in
            switch entry {
            case .value: return []
            case .requirement(let requirement): return [(prefix.appending(key), requirement)]
            case .section(let section): return section.requirements(under: prefix.appending(key))
            }
        }
    }
}

/// One default: a value, a requirement, or a nested section.
public indirect enum ConfigDefault: Sendable {
    case value(JSONValue)
    case requirement(Requirement)
    case section(ConfigDefaults)

    /// A value that must be supplied (see ``Requirement/required(_:mock:)``).
    public static func required(_ type: ConfigType, mock: JSONValue? = nil) -> ConfigDefault {
        .requirement(.required(type, mock: mock))
    }

    /// A typed value with a default (see ``Requirement/typed(_:default:mock:)``).
    public static func typed(_ type: ConfigType, default defaultValue: JSONValue, mock: JSONValue? = nil) -> ConfigDefault {
        .requirement(.typed(type, default: defaultValue, mock: mock))
    }
}

extension ConfigDefault: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .value(.null) }
    public init(booleanLiteral value: Bool) { self = .value(.bool(value)) }
    public init(integerLiteral value: Int) { self = .value(.int(value)) }
    public init(floatLiteral value: Double) { self = .value(.double(value)) }
    public init(stringLiteral value: String) { self = .value(.string(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .value(.array(elements)) }
    public init(dictionaryLiteral elements: (String, ConfigDefault)...) {
        self = .section(ConfigDefaults(elements.map { (key: $0.0, value: $0.1) }))
    }
}
