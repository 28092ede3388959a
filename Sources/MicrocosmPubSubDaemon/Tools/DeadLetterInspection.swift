#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmPubSub

/// What `dlq inspect` prints: where the messages are, counts by media type, receive counts, ages,
/// why they fail today, then each message (its body cut short).
struct DeadLetterInspection: Sendable {
    struct Entry: Sendable {
        let message: ConsumedMessage
        let verdict: DeadLetterVerdict
    }

    let entries: [Entry]
    /// Milliseconds since the epoch, for ages.
    let now: Double

    static let noMediaType = "(no media type)"

    /// How much of a body a message line shows.
    static let bodyLimit = 160

    /// The summary lines.
    var summary: [String] {
        var lines: [String] = []
        lines.append("media types:")
        lines += Self.counts(entries.map { $0.message.mediaType?.rawValue ?? Self.noMediaType })
        let receives = Dictionary(grouping: entries, by: { $0.message.receiveCount }).sorted { $0.key < $1.key }
        lines.append("receives (this read included): "
                     + receives.map { "\(DeadLetterTool.messages($0.value.count)) \($0.key)x" }.joined(separator: ", "))
        let ages = entries.compactMap { age(of: $0.message) }
        if let oldest = ages.max(), let newest = ages.min() {
            lines.append("ages: oldest \(Self.duration(oldest)), newest \(Self.duration(newest))")
        }
        lines.append("what the service would do today:")
        lines += Self.counts(entries.map { $0.verdict.kind.rawValue })
        return lines
    }

    /// The lines of each message.
    var messages: [String] {
        entries.flatMap { entry -> [String] in
            let message = entry.message
            var head = "  \(message.messageId)  \(message.mediaType?.rawValue ?? Self.noMediaType)  received \(message.receiveCount)x"
            if let age = age(of: message) { head += "  age \(Self.duration(age))" }
            return [head, "    " + entry.verdict.text, "    body: " + Self.excerpt(message.sqsMessage.body)]
        }
    }

    /// `  3  text` lines, most frequent first (then by text).
    static func counts(_ values: [String]) -> [String] {
        let counted = Dictionary(grouping: values, by: { $0 }).map { ($0.key, $0.value.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let width = counted.map { String($0.1).count }.max() ?? 1
        return counted.map { value, count in
            "  " + String(repeating: " ", count: width - String(count).count) + "\(count)  \(value)"
        }
    }

    /// Seconds since SQS first took the message in (`SentTimestamp`).
    private func age(of message: ConsumedMessage) -> Double? {
        message.sqsMessage.attributes["SentTimestamp"].flatMap(Double.init).map { max(0, now - $0) / 1000 }
    }

    /// `2d03h`, `3h12m`, `4m05s`, `12s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        let (days, hours, minutes, rest) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if days > 0 { return "\(days)d\(two(hours))h" }
        if hours > 0 { return "\(hours)h\(two(minutes))m" }
        if minutes > 0 { return "\(minutes)m\(two(rest))s" }
        return "\(rest)s"
    }

    /// The body on one line, cut at ``bodyLimit`` characters.
    static func excerpt(_ body: String) -> String {
        let line = body.replacing("\n", with: "\\n")
        return line.count <= bodyLimit ? line : String(line.prefix(bodyLimit)) + "..."
    }
}
