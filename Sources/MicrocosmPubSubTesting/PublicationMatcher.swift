/// A check of everything a testing graph published, as microcosm-pubsub's `published(...)`,
/// `published_inanyorder(...)` and `published_nothing()` matchers check a producer: the published
/// messages, all of them, against a list of ``ExpectedMessage``s.
///
/// ``mismatch(_:)`` is pure: it returns nil when the messages match, else a description of what
/// was expected, what was published and how they differ. The `XCTAssertPublished` functions report
/// it through XCTest; with another test framework, check it directly:
///
/// ```swift
/// let matcher = PublicationMatcher.publishedInAnyOrder([.message(.created("Order")), .message(.created("Invoice"))])
/// #expect(matcher.mismatch(try await graph.published) == nil)
/// ```
public struct PublicationMatcher: Sendable, CustomStringConvertible {
    /// Whether the published messages must come in the expected order.
    public enum Order: Sendable, Hashable {
        /// The n-th message published matches the n-th expectation (microcosm-pubsub's `published`).
        case strict
        /// Each message matches a different expectation, in any order (`published_inanyorder`).
        case any
    }

    /// What the published messages must be, one expectation each.
    public var expected: [ExpectedMessage]
    /// Whether their order counts.
    public var order: Order

    /// A matcher for exactly `expected`, in `order`.
    public init(_ expected: [ExpectedMessage], order: Order) {
        self.expected = expected
        self.order = order
    }

    /// Exactly these messages were published, in this order.
    public static func published(_ expected: [ExpectedMessage]) -> Self {
        Self(expected, order: .strict)
    }

    /// Exactly these messages were published, in any order.
    public static func publishedInAnyOrder(_ expected: [ExpectedMessage]) -> Self {
        Self(expected, order: .any)
    }

    /// Nothing was published.
    public static var publishedNothing: Self {
        Self([], order: .strict)
    }

    /// Nil when `published` is what this expects; else what was expected, what was published
    /// and how each message differs, over several lines.
    public func mismatch(_ published: [PublishedMessage]) -> String? {
        if expected.isEmpty {
            guard !published.isEmpty else { return nil }
            return "expected nothing published, \(published.count) \(published.count == 1 ? "was" : "were")\n"
                + Self.listing("published", published)
        }
        let problems = order == .strict ? strictProblems(published) : anyOrderProblems(published)
        if problems.isEmpty { return nil }
        let heading = "published messages do not match, \(order == .strict ? "in order" : "in any order")"
        return ([heading] + problems.map { "  " + $0 } + [Self.listing("expected", expected), Self.listing("published", published)])
            .joined(separator: "\n")
    }

    /// `expected:` or `published:`, then its messages numbered from 1, one a line.
    private static func listing(_ title: String, _ items: [some CustomStringConvertible]) -> String {
        let lines = items.enumerated().map { "  \($0.offset + 1). \($0.element)" }
        return (["\(title) \(items.count):"] + lines).joined(separator: "\n")
    }

    /// The n-th message against the n-th expectation.
    private func strictProblems(_ published: [PublishedMessage]) -> [String] {
        (0..<max(expected.count, published.count)).compactMap { index in
            let number = "message \(index + 1)"
            guard index < published.count else { return "\(number): not published, expected \(expected[index])" }
            guard index < expected.count else { return "\(number): published, not expected: \(published[index])" }
            let differences = expected[index].differences(from: published[index])
            return differences.isEmpty ? nil : "\(number): " + differences.joined(separator: "; ")
        }
    }

    /// The expectations nothing published could be paired with (after the largest pairing of
    /// expectations with messages), each with the closest unpaired message, then the unpaired messages.
    private func anyOrderProblems(_ published: [PublishedMessage]) -> [String] {
        let pairs = Self.largestPairing(expected.map { expectation in published.indices.filter { expectation.matches(published[$0]) } },
                                        candidates: published.count)
        let unpairedMessages = published.indices.filter { pairs[$0] == nil }
        var problems: [String] = []
        for (index, expectation) in expected.enumerated() where !pairs.contains(index) {
            problems.append("not published: \(expectation)")
            let closest = unpairedMessages.min { lhs, rhs in
                Self.distance(expectation, published[lhs]) < Self.distance(expectation, published[rhs])
            }
            if let closest {
                problems.append("  closest, message \(closest + 1): "
                                + expectation.differences(from: published[closest]).joined(separator: "; "))
            }
        }
        for index in unpairedMessages {
            problems.append("message \(index + 1): published, not expected: \(published[index])")
        }
        return problems
    }

    /// How far `message` is from `expectation`: another media type first, then another topic, then
    /// the number of differences.
    private static func distance(_ expectation: ExpectedMessage, _ message: PublishedMessage) -> (Int, Int, Int) {
        (expectation.mediaType.map { $0.matches(message.mediaType) ? 0 : 1 } ?? 0,
         expectation.topicArn.map { $0 == message.topicArn ? 0 : 1 } ?? 0,
         expectation.differences(from: message).count)
    }

    /// A largest pairing of expectations with the messages each matches (`matching[e]`), by
    /// augmenting paths (Kuhn's algorithm): for each message, the expectation it is paired with.
    ///
    /// Greedy pairing is not enough: with `[.anyMessage(), .message(.created("Order"))]`, pairing
    /// the first expectation with the Order message leaves the second with nothing.
    private static func largestPairing(_ matching: [[Int]], candidates: Int) -> [Int?] {
        var pairedWith = [Int?](repeating: nil, count: candidates)
        func augment(_ expectation: Int, _ visited: inout [Bool]) -> Bool {
            for message in matching[expectation] where !visited[message] {
                visited[message] = true
                if pairedWith[message].map({ augment($0, &visited) }) ?? true {
                    pairedWith[message] = expectation
                    return true
                }
            }
            return false
        }
        for expectation in matching.indices {
            var visited = [Bool](repeating: false, count: candidates)
            _ = augment(expectation, &visited)
        }
        return pairedWith
    }

    /// `published in order: [...]` or `published in any order: [...]`.
    public var description: String {
        if expected.isEmpty { return "published nothing" }
        let items = expected.map(\.description).joined(separator: ", ")
        return "published \(order == .strict ? "in order" : "in any order"): [\(items)]"
    }
}
