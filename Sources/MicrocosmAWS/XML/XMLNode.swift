/// One XML element as a small tree: local name, attributes, child elements and text.
///
/// Enough XML for AWS query-protocol replies (SNS, SQS query, STS) and error bodies. Lookups use
/// local names (namespace prefixes dropped) and `/`-separated paths of child names:
///
/// ```swift
/// let reply = try XMLNode.parse(response.body)
/// let messageId = reply.value("PublishResult/MessageId")
/// let failures = reply.nodes("PublishBatchResult/Failed/member")
/// ```
struct XMLNode: Sendable, Hashable {
    /// The element's local name (`Code` for `<sns:Code>`).
    var name: String
    /// Attributes by qualified name, entity references decoded.
    var attributes: [String: String]
    /// Child elements in document order.
    var children: [XMLNode]
    /// The element's own character data (text and CDATA between its children), decoded and untrimmed.
    var text: String

    init(name: String, attributes: [String: String] = [:], children: [XMLNode] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// Parses a document and returns its root element.
    ///
    /// Accepts an optional `<?xml?>` prologue, comments, processing instructions, CDATA sections and
    /// character references. Rejects `<!DOCTYPE>` (no entity expansion) and malformed markup.
    static func parse(_ bytes: some Collection<UInt8>) throws(XMLParseError) -> XMLNode {
        var reader = XMLReader(Array(bytes))
        return try reader.readDocument()
    }

    /// Parses a document given as text and returns its root element.
    static func parse(_ text: String) throws(XMLParseError) -> XMLNode {
        try parse(Array(text.utf8))
    }

    /// The first child element named `name`.
    func child(_ name: String) -> XMLNode? {
        children.first { $0.name == name }
    }

    /// Every child element named `name`, in order.
    func children(named name: String) -> [XMLNode] {
        children.filter { $0.name == name }
    }

    /// The element at `path` (`"Error/Code"`), following the first match at each step; `""` is this element.
    subscript(path: String) -> XMLNode? {
        var node = self
        // Steps compared by UTF-8 bytes: no Character splitting or String per step on every lookup of a reply.
        for step in path.utf8.split(separator: XMLNode.slash) {
            guard let next = node.children.first(where: { $0.name.utf8.elementsEqual(step) }) else { return nil }
            node = next
        }
        return node
    }

    private static let slash = UInt8(ascii: "/")

    /// The text of the element at `path`, or nil when there is no such element.
    func value(_ path: String) -> String? {
        self[path]?.text
    }

    /// Every element matching `path`, following all matches at each step, in document order.
    func nodes(_ path: String) -> [XMLNode] {
        var current = [self]
        for step in path.utf8.split(separator: XMLNode.slash) {
            current = current.flatMap { node in node.children.filter { $0.name.utf8.elementsEqual(step) } }
        }
        return current
    }

    /// The first element named `name` in this subtree (this element included), depth first.
    func firstDescendant(named name: String) -> XMLNode? {
        if self.name == name { return self }
        for child in children {
            if let found = child.firstDescendant(named: name) { return found }
        }
        return nil
    }
}
