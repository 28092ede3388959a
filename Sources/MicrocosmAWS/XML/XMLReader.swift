/// A small non-validating XML reader that builds an ``XMLNode`` tree from UTF-8 bytes.
///
/// No DTDs (so no entity expansion attacks), no external resources, bounded nesting.
struct XMLReader {
    /// The deepest nesting accepted.
    static let maximumDepth = 256

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// An element being read: its name as written (for matching the end tag) and the node so far.
    private struct Open {
        var qualifiedName: String
        var node: XMLNode
    }

    /// Reads the whole document and returns its root element.
    mutating func readDocument() throws(XMLParseError) -> XMLNode {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        var stack: [Open] = []
        var root: XMLNode?

        func close(_ node: XMLNode, into stack: inout [Open], root: inout XMLNode?) {
            if stack.isEmpty { root = node } else { stack[stack.count - 1].node.children.append(node) }
        }

        while position < bytes.count {
            guard bytes[position] == Byte.lessThan else {
                let start = position
                while position < bytes.count, bytes[position] != Byte.lessThan { position += 1 }
                if stack.isEmpty {
                    guard bytes[start..<position].allSatisfy(Byte.isWhitespace) else {
                        throw XMLParseError("text outside the root element", at: start)
                    }
                } else {
                    stack[stack.count - 1].node.text += try decodeReferences(start..<position)
                }
                continue
            }
            if hasPrefix("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if hasPrefix("<!--") {
                try skip(past: "-->", what: "comment")
            } else if hasPrefix("<![CDATA[") {
                guard !stack.isEmpty else { throw XMLParseError("CDATA outside the root element", at: position) }
                position += 9
                let start = position
                try skip(past: "]]>", what: "CDATA section")
                stack[stack.count - 1].node.text += String(decoding: bytes[start..<position - 3], as: UTF8.self)
            } else if hasPrefix("<!") {
                throw XMLParseError("DOCTYPE and other declarations are not supported", at: position)
            } else if hasPrefix("</") {
                let start = position
                position += 2
                let name = try readName()
                skipWhitespace()
                try expect(Byte.greaterThan, "'>' to end </\(name)>")
                guard let open = stack.popLast() else { throw XMLParseError("end tag </\(name)> without a start tag", at: start) }
                guard open.qualifiedName == name else {
                    throw XMLParseError("end tag </\(name)> does not match <\(open.qualifiedName)>", at: start)
                }
                close(open.node, into: &stack, root: &root)
            } else {
                let start = position
                guard root == nil else { throw XMLParseError("a second root element", at: start) }
                position += 1
                let name = try readName()
                var attributes: [String: String] = [:]
                var selfClosing = false
                while true {
                    let beforeSpace = position
                    skipWhitespace()
                    guard position < bytes.count else { throw XMLParseError("unterminated start tag <\(name)>", at: start) }
                    if bytes[position] == Byte.slash {
                        position += 1
                        try expect(Byte.greaterThan, "'>' after '/' in <\(name)>")
                        selfClosing = true
                        break
                    }
                    if bytes[position] == Byte.greaterThan {
                        position += 1
                        break
                    }
                    guard position > beforeSpace else { throw XMLParseError("expected whitespace before an attribute in <\(name)>", at: position) }
                    let attribute = try readName()
                    skipWhitespace()
                    try expect(Byte.equals, "'=' after attribute \(attribute)")
                    skipWhitespace()
                    attributes[attribute] = try readQuoted(attribute)
                }
                let node = XMLNode(name: XMLReader.localName(name), attributes: attributes)
                if selfClosing {
                    close(node, into: &stack, root: &root)
                } else {
                    guard stack.count < XMLReader.maximumDepth else {
                        throw XMLParseError("nesting deeper than \(XMLReader.maximumDepth) elements", at: start)
                    }
                    stack.append(Open(qualifiedName: name, node: node))
                }
            }
        }
        if let open = stack.last { throw XMLParseError("<\(open.qualifiedName)> is never closed", at: position) }
        guard let root else { throw XMLParseError("no root element", at: position) }
        return root
    }

    /// `sns:Code` -> `Code`.
    private static func localName(_ name: String) -> String {
        // By byte, not by Character: names are read per element of every reply.
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return String(name[name.utf8.index(after: colon)...])
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { expected in
            for index in 0..<count where bytes[position + index] != expected[index] { return false }
            return true
        }
    }

    private mutating func skip(past terminator: StaticString, what: String) throws(XMLParseError) {
        let start = position
        while position < bytes.count {
            if hasPrefix(terminator) {
                position += terminator.utf8CodeUnitCount
                return
            }
            position += 1
        }
        throw XMLParseError("unterminated \(what)", at: start)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, Byte.isWhitespace(bytes[position]) { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(XMLParseError) {
        guard position < bytes.count, bytes[position] == byte else { throw XMLParseError("expected \(what)", at: position) }
        position += 1
    }

    private mutating func readName() throws(XMLParseError) -> String {
        let start = position
        while position < bytes.count, Byte.isNameByte(bytes[position]) { position += 1 }
        guard position > start else { throw XMLParseError("expected a name", at: start) }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func readQuoted(_ attribute: String) throws(XMLParseError) -> String {
        guard position < bytes.count, bytes[position] == Byte.quote || bytes[position] == Byte.apostrophe else {
            throw XMLParseError("expected a quoted value for attribute \(attribute)", at: position)
        }
        let quote = bytes[position]
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != quote {
            if bytes[position] == Byte.lessThan { throw XMLParseError("'<' in the value of attribute \(attribute)", at: position) }
            position += 1
        }
        guard position < bytes.count else { throw XMLParseError("unterminated value of attribute \(attribute)", at: start) }
        position += 1
        return try decodeReferences(start..<position - 1)
    }

    /// The text of `range` with `&lt;`, `&#65;`, `&#x41;` and the other predefined references decoded.
    private func decodeReferences(_ range: Range<Int>) throws(XMLParseError) -> String {
        guard bytes[range].contains(Byte.ampersand) else { return String(decoding: bytes[range], as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == Byte.ampersand else {
                output.append(byte)
                index += 1
                continue
            }
            guard let semicolon = bytes[index..<min(range.upperBound, index + 12)].firstIndex(of: Byte.semicolon) else {
                throw XMLParseError("'&' that does not start a reference", at: index)
            }
            let reference = String(decoding: bytes[index + 1..<semicolon], as: UTF8.self)
            switch reference {
            case "lt": output.append(Byte.lessThan)
            case "gt": output.append(Byte.greaterThan)
            case "amp": output.append(Byte.ampersand)
            case "quot": output.append(Byte.quote)
            case "apos": output.append(Byte.apostrophe)
            default:
                var number: UInt32?
                if reference.hasPrefix("#x") {
                    number = UInt32(reference.dropFirst(2), radix: 16)
                } else if reference.hasPrefix("#") {
                    number = UInt32(reference.dropFirst(), radix: 10)
                }
                guard let number, number != 0, let scalar = Unicode.Scalar(number) else {
                    throw XMLParseError("unknown reference &\(reference);", at: index)
                }
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            index = semicolon + 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private enum Byte {
        static let lessThan = UInt8(ascii: "<")
        static let greaterThan = UInt8(ascii: ">")
        static let slash = UInt8(ascii: "/")
        static let equals = UInt8(ascii: "=")
        static let quote = UInt8(ascii: "\"")
        static let apostrophe = UInt8(ascii: "'")
        static let ampersand = UInt8(ascii: "&")
        static let semicolon = UInt8(ascii: ";")

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            !isWhitespace(byte) && byte != lessThan && byte != greaterThan && byte != slash && byte != equals
                && byte != quote && byte != apostrophe && byte != ampersand
        }
    }
}
