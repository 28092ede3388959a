import Microcosm

/// Checking a testing graph's publications.
extension PublicationMatcher {
    /// Nil when what `graph` published matches; else the mismatch (see ``mismatch(_:)``), or why
    /// its publications cannot be read (``PubSubTestingError``).
    ///
    /// ```swift
    /// let mismatch = await PublicationMatcher.publishedNothing.mismatch(in: graph)
    /// #expect(mismatch == nil, "\(mismatch ?? "")")
    /// ```
    public func mismatch(in graph: Graph) async -> String? {
        do {
            return mismatch(try await graph.published)
        } catch {
            return "cannot read what graph '\(graph.metadata.name)' published: \(error)"
        }
    }
}
