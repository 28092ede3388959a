#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// Parses the ISO 8601 expiration times AWS credential sources return
/// (`2026-01-02T03:04:05Z`, with or without fractional seconds, `Z` or an offset).
enum CredentialTimestamp {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingSpaces()
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(trimmed) { return date }
        }
        return nil
    }
}
