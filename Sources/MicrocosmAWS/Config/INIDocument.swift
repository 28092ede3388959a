/// The sections of an INI text as the AWS shared credentials and config files use it.
///
/// Follows what botocore (Python's `configparser`) accepts: `[section]` headers, `key = value` or
/// `key: value` lines (keys lower-cased, values trimmed), full-line comments starting with `#` or
/// `;`, and indented lines after a key. Indented lines after a key with an empty value form a
/// nested sub-section (`s3 =` followed by `  max_concurrent_requests = 10`); after a key with a
/// value they continue it on a new line. Sections that appear twice are merged, later keys win.
/// There are no inline comments: `#` inside a value is part of the value.
///
/// Parse errors give the line number and what was wrong, never the line's text (it may hold a key).
struct INIDocument: Sendable, Hashable {
    /// One `[name]` section.
    struct Section: Sendable, Hashable {
        /// The text between the brackets, trimmed.
        var name: String
        /// Keys (lower-cased) to values.
        var values: [String: String] = [:]
        /// Nested sub-sections by key: `s3 =` followed by indented `key = value` lines.
        var subsections: [String: [String: String]] = [:]
    }

    /// A line that is not valid INI.
    struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// 1-based line number.
        let line: Int
        let reason: String

        var description: String { "line \(line): \(reason)" }
    }

    /// The sections in the order they first appear.
    private(set) var sections: [Section] = []

    /// The section called exactly `name`, if any.
    subscript(section name: String) -> Section? {
        sections.first { $0.name == name }
    }

    /// Parses `text`.
    static func parse(_ text: String) throws(ParseError) -> INIDocument {
        var document = INIDocument()
        var current: Int?
        var currentKey: String?
        var lineNumber = 0
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmed = line.trimmingINIWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if indented, let section = current, let key = currentKey {
                try document.continueValue(of: key, in: section, with: trimmed, line: lineNumber)
                continue
            }
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.lastIndex(of: "]") else {
                    throw ParseError(line: lineNumber, reason: "section header without a closing ']'")
                }
                let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingINIWhitespace()
                guard !name.isEmpty else { throw ParseError(line: lineNumber, reason: "empty section name") }
                let rest = trimmed[trimmed.index(after: close)...].trimmingINIWhitespace()
                guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else {
                    throw ParseError(line: lineNumber, reason: "unexpected text after the section header")
                }
                current = document.sectionIndex(named: String(name))
                currentKey = nil
                continue
            }
            guard let section = current else {
                throw ParseError(line: lineNumber, reason: "a key before any [section] header")
            }
            let (key, value) = try INIDocument.keyValue(trimmed, line: lineNumber)
            document.sections[section].values[key] = value
            document.sections[section].subsections[key] = nil
            currentKey = key
        }
        return document
    }

    private mutating func sectionIndex(named name: String) -> Int {
        if let index = sections.firstIndex(where: { $0.name == name }) { return index }
        sections.append(Section(name: name))
        return sections.count - 1
    }

    private mutating func continueValue(of key: String, in section: Int, with text: Substring, line: Int) throws(ParseError) {
        if let value = sections[section].values[key], !value.isEmpty {
            sections[section].values[key] = value + "\n" + text
            return
        }
        let (nestedKey, nestedValue) = try INIDocument.keyValue(text, line: line)
        sections[section].values[key] = nil
        sections[section].subsections[key, default: [:]][nestedKey] = nestedValue
    }

    private static func keyValue(_ text: Substring, line: Int) throws(ParseError) -> (String, String) {
        guard let delimiter = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
            throw ParseError(line: line, reason: "expected 'key = value'")
        }
        let key = text[..<delimiter].trimmingINIWhitespace().lowercased()
        guard !key.isEmpty else { throw ParseError(line: line, reason: "empty key before '\(text[delimiter])'") }
        return (key, String(text[text.index(after: delimiter)...].trimmingINIWhitespace()))
    }
}

extension Substring {
    /// This text without leading and trailing spaces and tabs.
    fileprivate func trimmingINIWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
