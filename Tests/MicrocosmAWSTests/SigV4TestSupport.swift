/// A small deterministic random number generator (SplitMix64), so random-split tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// `count` pseudo-random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    /// `bytes` cut at up to `maximumCuts` random points (pieces may be empty).
    mutating func pieces(of bytes: [UInt8], maximumCuts: Int) -> [ArraySlice<UInt8>] {
        let cuts = (0..<Int.random(in: 0...maximumCuts, using: &self)).map { _ in
            Int.random(in: 0...bytes.count, using: &self)
        }.sorted()
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        for cut in cuts {
            pieces.append(bytes[start..<cut])
            start = cut
        }
        pieces.append(bytes[start...])
        return pieces
    }
}
