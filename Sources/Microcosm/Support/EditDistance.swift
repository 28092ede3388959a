/// Close matches for a misspelled name, for "did you mean" hints.
enum EditDistance {
    /// Levenshtein distance between `lhs` and `rhs`.
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Up to `limit` of `candidates` close to `name`: within a third of its length (at least 2
    /// edits), or containing it, nearest first.
    static func suggestions(for name: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let threshold = max(2, name.count / 3)
        return candidates
            .map { (candidate: $0, distance: distance(name, $0)) }
            .filter { $0.distance <= threshold || (!name.isEmpty && $0.candidate.contains(name)) }
            .sorted { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }
            .prefix(limit)
            .map(\.candidate)
    }
}
