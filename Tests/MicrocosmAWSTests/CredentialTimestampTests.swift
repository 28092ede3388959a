import Foundation
@testable import MicrocosmAWS
import XCTest

/// Expiration times parse as Foundation's ISO8601DateFormatter (internet date time, with or without fractional
/// seconds) parsed them before the library stopped importing full Foundation.
final class CredentialTimestampTests: XCTestCase {
    private func foundation(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) { return date }
        }
        return nil
    }

    func testParse_agreesWithISO8601DateFormatter() {
        let samples = ["2026-01-02T03:04:05Z", " 2026-01-02T03:04:05Z ", "2026-01-02T03:04:05.123Z", "2026-01-02T03:04:05.5Z",
                       "2026-01-02T03:04:05+01:00", "2026-01-02T03:04:05-07:30", "2026-01-02T03:04:05.250+02:00",
                       "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "2026-12-31T23:59:59.999Z"]
        for text in samples {
            XCTAssertNotNil(CredentialTimestamp.parse(text), text)
            XCTAssertEqual(CredentialTimestamp.parse(text)?.timeIntervalSince1970 ?? .nan,
                           foundation(text)?.timeIntervalSince1970 ?? .nan, accuracy: 0.0005, text)
        }
    }

    func testParse_rejectsWhatIsNoTimestamp() {
        for text in ["", "soon", "2026-01-02", "2026-01-02 03:04:05", "03:04:05Z"] {
            XCTAssertNil(CredentialTimestamp.parse(text), text)
            XCTAssertNil(foundation(text), text)
        }
    }
}
