/// Where an encoder or decoder is in the value, as a chain of object keys and array indexes.
///
/// Built link by link (one small allocation per nested value) and turned into text or a
/// `[CodingKey]` only when asked for, which in practice is when an error is reported.
final class JSONCodingPath: Sendable {
    /// One step down from the parent.
    enum Component: Sendable {
        case key(String)
        case index(Int)
    }

    private let component: Component?
    private let parent: JSONCodingPath?
    /// Whether coding keys are written and read in snake_case (``JSONKeyStrategy/snakeCase``);
    /// the same for the whole tree.
    let snakeCaseKeys: Bool

    private init(component: Component?, parent: JSONCodingPath?, snakeCaseKeys: Bool) {
        self.component = component
        self.parent = parent
        self.snakeCaseKeys = snakeCaseKeys
    }

    /// The top level.
    static let root = JSONCodingPath(component: nil, parent: nil, snakeCaseKeys: false)

    /// The top level, with coding keys in snake_case.
    static let snakeCaseRoot = JSONCodingPath(component: nil, parent: nil, snakeCaseKeys: true)

    /// The top level for `strategy`.
    static func root(_ strategy: JSONKeyStrategy) -> JSONCodingPath {
        strategy == .snakeCase ? snakeCaseRoot : root
    }

    /// This path followed by object member `key`.
    func appending(key: String) -> JSONCodingPath { JSONCodingPath(component: .key(key), parent: self, snakeCaseKeys: snakeCaseKeys) }

    /// This path followed by array element `index`.
    func appending(index: Int) -> JSONCodingPath { JSONCodingPath(component: .index(index), parent: self, snakeCaseKeys: snakeCaseKeys) }

    /// The member name written for `key`: its snake_case form when this tree uses snake_case keys.
    @inline(__always)
    func name(_ key: some CodingKey) -> String {
        snakeCaseKeys ? JSONKeyStrategy.snakeCase(key.stringValue) : key.stringValue
    }

    /// The components from the top down.
    var components: [Component] {
        var components: [Component] = []
        var node: JSONCodingPath? = self
        while let current = node, let component = current.component {
            components.append(component)
            node = current.parent
        }
        return components.reversed()
    }

    /// The path as coding keys (array positions as ``JSONIndexKey``), for `codingPath`.
    var codingKeys: [any CodingKey] {
        components.map { component -> any CodingKey in
            switch component {
            case .key(let name): return JSONMemberKey(stringValue: name)
            case .index(let index): return JSONIndexKey(index)
            }
        }
    }

    /// The path as text: `messages[0].media_type`; empty at the top level.
    var text: String { JSONCodingPath.text(components) }

    /// Renders components as `a.b[0].c`.
    static func text(_ components: [Component]) -> String {
        var text = ""
        for component in components {
            switch component {
            case .key(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// Renders a `codingPath` from any coder; array positions (``JSONIndexKey``, or Foundation's
    /// `Index N` keys) come out as `[N]`.
    static func text(_ codingPath: [any CodingKey]) -> String {
        text(codingPath.map { key -> Component in
            if let index = key.intValue, key is JSONIndexKey || key.stringValue == "Index \(index)" {
                return .index(index)
            }
            return .key(key.stringValue)
        })
    }
}

/// An object member name as a coding key.
struct JSONMemberKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// An array position as a coding key.
struct JSONIndexKey: CodingKey {
    let index: Int
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }

    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { index = intValue }
}

extension Array where Element == any CodingKey {
    /// A coding path as text, `messages[0].media_type`, for messages about encoding and decoding
    /// errors (array positions, from any coder, as `[N]`).
    public var jsonPath: String { JSONCodingPath.text(self) }
}
