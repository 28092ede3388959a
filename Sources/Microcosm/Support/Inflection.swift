/// Word-case conversions as Python's `inflection` package does them (microcosm uses it for names).
public enum Inflection {
    /// `FooBar` -> `foo_bar`, `HTTPServer` -> `http_server`, `foo-bar` -> `foo_bar`
    /// (inflection's `underscore`).
    public static func underscore(_ word: String) -> String {
        asciiUnderscore(word) ?? underscoreByCharacter(word)
    }

    /// `underscore` by `Character`: the general path, for any text.
    package static func underscoreByCharacter(_ word: String) -> String {
        let characters = Array(word)
        var result = ""
        result.reserveCapacity(word.count + 4)
        for (index, character) in characters.enumerated() {
            if character.isASCIIUppercase, index > 0 {
                let previous = characters[index - 1]
                let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
                // "ABc": split before the last capital of a run that precedes a lowercase letter.
                let endsAcronym = previous.isASCIIUppercase && (next?.isASCIILowercase ?? false)
                // "aB" or "1B": split between a lowercase letter or digit and a capital.
                let afterLower = previous.isASCIILowercase || previous.isASCIIDigit
                if endsAcronym || afterLower { result.append("_") }
            }
            result.append(character == "-" ? "_" : character)
        }
        return result.lowercased()
    }
}

extension Inflection {
    /// `underscore` of an ASCII word, by UTF-8 byte (media types are made per message); nil when
    /// `word` has a non-ASCII byte. On ASCII every byte is one `Character` but `"\r\n"`, which is
    /// neither a letter nor a digit, so the rules give the same result as ``underscoreByCharacter(_:)``.
    package static func asciiUnderscore(_ word: String) -> String? {
        let count = word.utf8.count
        guard count > 0 else { return "" }
        var isASCII = true
        let result = String(unsafeUninitializedCapacity: count * 2) { buffer in
            var written = 0
            var previous: UInt8?
            var bytes = word.utf8.makeIterator()
            var current = bytes.next()
            while let byte = current {
                guard byte < 0x80 else {
                    isASCII = false
                    return 0
                }
                let next = bytes.next()
                if ASCII.isUppercase(byte), let previous {
                    // "ABc": split before the last capital of a run that precedes a lowercase letter;
                    // "aB" or "1B": split between a lowercase letter or digit and a capital.
                    let endsAcronym = ASCII.isUppercase(previous) && next.map(ASCII.isLowercase) == true
                    let afterLower = ASCII.isLowercase(previous) || ASCII.isDigit(previous)
                    if endsAcronym || afterLower {
                        buffer[written] = ASCII.underscore
                        written += 1
                    }
                }
                buffer[written] = byte == ASCII.hyphen ? ASCII.underscore : ASCII.isUppercase(byte) ? byte + 0x20 : byte
                written += 1
                previous = byte
                current = next
            }
            return written
        }
        return isASCII ? result : nil
    }

    private enum ASCII {
        static let underscore = UInt8(ascii: "_"), hyphen = UInt8(ascii: "-")
        static func isUppercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
        static func isLowercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }
        static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
    }
}

extension Character {
    var isASCIIUppercase: Bool { isASCII && isUppercase }
    var isASCIILowercase: Bool { isASCII && isLowercase }
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Inflection {
    /// `ShipOrderHandler` -> `Ship Order Handler`, `URIHandler` -> `Uri Handler`, `OrderId` ->
    /// `Order` (inflection's `titleize`: `underscore`, then `humanize`, then `str.title()`).
    public static func titleize(_ word: String) -> String {
        var humanized = underscore(word)
        if humanized.hasSuffix("_id") { humanized.removeLast(3) }
        humanized = String(humanized.map { $0 == "_" ? " " : $0 })
        var result = ""
        result.reserveCapacity(humanized.utf8.count)
        var previousIsCased = false
        for character in humanized {
            let isCased = character.isCased
            if isCased {
                result += previousIsCased ? character.lowercased() : character.uppercased()
            } else {
                result.append(character)
            }
            previousIsCased = isCased
        }
        return result
    }
}
