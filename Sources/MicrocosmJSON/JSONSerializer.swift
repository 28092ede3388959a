/// Writes ``JSONValue`` as JSON text, byte-compatible with Python's `json.dumps` when asked.
///
/// - ``python``: `json.dumps(value)`: `", "` and `": "` separators, non-ASCII escaped.
///   This is how microcosm-pubsub writes every message, so it is what we put on the wire.
/// - ``compact``: no spaces, UTF-8 kept as is.
/// - ``pythonIndented``: `json.dumps(value, indent=2, sort_keys=True)`, the shape of the SNS
///   notification envelope that moto writes.
///
/// Doubles use the shortest representation that round-trips, formatted like Python's `repr`.
public struct JSONSerializer: Sendable {
    /// Text between an object member or array element and the next (`", "` for Python).
    public var itemSeparator: String
    /// Text between an object key and its value (`": "` for Python).
    public var keySeparator: String
    /// Spaces per nesting level; nil writes everything on one line.
    public var indent: Int?
    /// Sort object keys instead of keeping insertion order.
    public var sortKeys: Bool
    /// Escape every non-ASCII character as `\uXXXX` (Python's default `ensure_ascii=True`).
    public var ensureASCII: Bool

    public init(itemSeparator: String = ",", keySeparator: String = ":", indent: Int? = nil,
                sortKeys: Bool = false, ensureASCII: Bool = false) {
        self.itemSeparator = itemSeparator
        self.keySeparator = keySeparator
        self.indent = indent
        self.sortKeys = sortKeys
        self.ensureASCII = ensureASCII
    }

    /// `{"a":1,"b":[true,null]}`
    public static let compact = JSONSerializer()
    /// Python's `json.dumps(value)`: `{"a": 1, "b": [true, null]}` with non-ASCII escaped.
    public static let python = JSONSerializer(itemSeparator: ", ", keySeparator: ": ", ensureASCII: true)
    /// Python's `json.dumps(value, indent=2, sort_keys=True)`.
    public static let pythonIndented = JSONSerializer(itemSeparator: ",", keySeparator: ": ", indent: 2,
                                                      sortKeys: true, ensureASCII: true)

    /// The JSON text of `value`.
    public func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The JSON text of `value` as UTF-8 bytes.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(value, into: &out)
        return out
    }

    /// Appends the JSON text of `value` to `out`.
    public func write(_ value: JSONValue, into out: inout [UInt8]) {
        write(value, into: &out, level: 0)
    }

    private func write(_ value: JSONValue, into out: inout [UInt8], level: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: JSONSerializer.pythonRepr(number).utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            if !elements.isEmpty {
                for (position, element) in elements.enumerated() {
                    if position > 0 { out.append(contentsOf: itemSeparator.utf8) }
                    newline(into: &out, level: level + 1)
                    write(element, into: &out, level: level + 1)
                }
                newline(into: &out, level: level)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            if !object.isEmpty {
                var first = true
                func member(_ key: String, _ value: JSONValue) {
                    if !first { out.append(contentsOf: itemSeparator.utf8) }
                    first = false
                    newline(into: &out, level: level + 1)
                    writeString(key, into: &out)
                    out.append(contentsOf: keySeparator.utf8)
                    write(value, into: &out, level: level + 1)
                }
                if sortKeys {
                    for (key, value) in object.sorted(by: { $0.key < $1.key }) { member(key, value) }
                } else {
                    for (key, value) in object { member(key, value) }
                }
                newline(into: &out, level: level)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(into out: inout [UInt8], level: Int) {
        guard let indent else { return }
        out.append(0x0a)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var plainStart = 0
            var index = 0
            func flush(_ end: Int) {
                if end > plainStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<end])) }
            }
            while index < utf8.count {
                let byte = utf8[index]
                if byte >= 0x20 && byte != 0x22 && byte != 0x5c && byte < 0x7f {
                    index += 1
                    continue
                }
                if byte >= 0x80 && !ensureASCII {
                    index += 1
                    continue
                }
                flush(index)
                switch byte {
                case 0x22: out.append(contentsOf: #"\""#.utf8); index += 1
                case 0x5c: out.append(contentsOf: #"\\"#.utf8); index += 1
                case 0x0a: out.append(contentsOf: #"\n"#.utf8); index += 1
                case 0x0d: out.append(contentsOf: #"\r"#.utf8); index += 1
                case 0x09: out.append(contentsOf: #"\t"#.utf8); index += 1
                case 0x08: out.append(contentsOf: #"\b"#.utf8); index += 1
                case 0x0c: out.append(contentsOf: #"\f"#.utf8); index += 1
                case 0x7f where !ensureASCII: out.append(byte); index += 1
                case ..<0x80: appendUnicodeEscape(UInt16(byte), into: &out); index += 1
                default:
                    var decoder = UTF8()
                    var iterator = UnsafeBufferPointer(rebasing: utf8[index...]).makeIterator()
                    let length: Int
                    let scalarValue: UInt32
                    if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                        scalarValue = scalar.value
                        length = UTF8.width(scalar)
                    } else {
                        scalarValue = 0xFFFD
                        length = 1
                    }
                    for unit in UTF16.encode(Unicode.Scalar(scalarValue)!)! { appendUnicodeEscape(unit, into: &out) }
                    index += length
                }
                plainStart = index
            }
            flush(index)
        }
        out.append(UInt8(ascii: "\""))
    }

    private func appendUnicodeEscape(_ unit: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: #"\u"#.utf8)
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(JSONSerializer.hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }

    /// Python's `repr(float)`: shortest round-trip digits; fixed notation for exponents -4..<16,
    /// scientific (`1e+16`, `1.5e-05`) otherwise; `NaN`, `Infinity`, `-Infinity` as `json.dumps` writes them.
    public static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description already has the shortest round-trip digits (`-1.5e-05`,
        // `1795960765.3579443`); read them and the exponent, then lay them out as Python does.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // up to 24 ASCII digits; 17 are ever significant
        var count = 0
        var integerDigits = 0
        var seenPoint = false
        var negative = false
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in value.description.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else if count < 24 {
                    withUnsafeMutableBytes(of: &digits) { $0[count] = byte }
                    count += 1
                    if !seenPoint { integerDigits += 1 }
                }
            case UInt8(ascii: "."): seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-"): if inExponent { exponentSign = -1 } else { negative = true }
            default: break
            }
        }
        return withUnsafeBytes(of: digits) { all in
            var significant = UnsafeRawBufferPointer(rebasing: all[0..<count])
            var pointPosition = integerDigits + exponentSign * exponent   // digits before the decimal point
            while significant.count > 1 && significant.first == UInt8(ascii: "0") {
                significant = UnsafeRawBufferPointer(rebasing: significant.dropFirst())
                pointPosition -= 1
            }
            while significant.count > 1 && significant.last == UInt8(ascii: "0") {
                significant = UnsafeRawBufferPointer(rebasing: significant.dropLast())
            }
            let decimalExponent = pointPosition - 1   // exponent in d.ddd x 10^e form
            return String(unsafeUninitializedCapacity: 32) { out in
                var length = 0
                func put(_ byte: UInt8) {
                    out[length] = byte
                    length += 1
                }
                func put(_ bytes: UnsafeRawBufferPointer) { for byte in bytes { put(byte) } }
                if negative { put(UInt8(ascii: "-")) }
                if decimalExponent >= -4 && decimalExponent < 16 {
                    if pointPosition <= 0 {
                        put(UInt8(ascii: "0"))
                        put(UInt8(ascii: "."))
                        for _ in 0..<(-pointPosition) { put(UInt8(ascii: "0")) }
                        put(significant)
                    } else if pointPosition >= significant.count {
                        put(significant)
                        for _ in 0..<(pointPosition - significant.count) { put(UInt8(ascii: "0")) }
                        put(UInt8(ascii: "."))
                        put(UInt8(ascii: "0"))
                    } else {
                        put(UnsafeRawBufferPointer(rebasing: significant[..<(significant.startIndex + pointPosition)]))
                        put(UInt8(ascii: "."))
                        put(UnsafeRawBufferPointer(rebasing: significant[(significant.startIndex + pointPosition)...]))
                    }
                } else {
                    put(significant[significant.startIndex])
                    if significant.count > 1 {
                        put(UInt8(ascii: "."))
                        put(UnsafeRawBufferPointer(rebasing: significant.dropFirst()))
                    }
                    put(UInt8(ascii: "e"))
                    put(decimalExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                    let magnitude = abs(decimalExponent)
                    if magnitude >= 100 { put(UInt8(ascii: "0") + UInt8(magnitude / 100)) }
                    put(UInt8(ascii: "0") + UInt8(magnitude / 10 % 10))
                    put(UInt8(ascii: "0") + UInt8(magnitude % 10))
                }
                return length
            }
        }
    }
}
