/// Word-case conversions as Python's `inflection` package does them (microcosm uses it for names).
public enum Inflection {
    /// `FooBar` -> `foo_bar`, `HTTPServer` -> `http_server`, `foo-bar` -> `foo_bar`
    /// (inflection's `underscore`).
    public static func underscore(_ word: String) -> String {
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
