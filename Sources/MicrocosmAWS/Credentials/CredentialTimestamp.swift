import Foundation

/// Parses the ISO 8601 expiration times AWS credential sources return
/// (`2026-01-02T03:04:05Z`, with or without fractional seconds, `Z` or an offset).
enum CredentialTimestamp {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }
}
