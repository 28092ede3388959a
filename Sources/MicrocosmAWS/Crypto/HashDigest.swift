/// The result of ``SHA256``, ``MD5`` or ``HMAC``: up to 32 bytes held inline, so producing one never allocates.
///
/// It is a collection of bytes, so `Array(digest)`, `digest.prefix(16)` and `elementsEqual` work as usual.
///
/// ```swift
/// let digest = SHA256.hash("abc".utf8)
/// digest.hex        // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// Array(digest)     // [0xba, 0x78, ...]
/// ```
package struct HashDigest: Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
    /// The largest digest this type holds (SHA-256's 32 bytes).
    package static let maximumByteCount = 32

    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The number of bytes.
    package let count: Int

    /// Makes a digest of `count` bytes that `fill` writes (its buffer holds exactly `count` bytes).
    init(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        precondition(count >= 0 && count <= HashDigest.maximumByteCount, "a digest holds at most 32 bytes")
        self.count = count
        withUnsafeMutableBytes(of: &storage) { fill(UnsafeMutableRawBufferPointer(rebasing: $0[..<count])) }
    }

    /// The first index (always 0).
    package var startIndex: Int { 0 }

    /// One past the last index (the byte count).
    package var endIndex: Int { count }

    /// The byte at `position`.
    package subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "digest index out of range")
        return Swift.withUnsafeBytes(of: storage) { $0[position] }
    }

    /// Calls `body` with the digest's bytes.
    package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }

    /// Gives `body` the bytes as one contiguous buffer (always available).
    package func withContiguousStorageIfAvailable<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        try withUnsafeBytes { raw in try raw.withMemoryRebound(to: UInt8.self, body) }
    }

    /// The bytes as lower-case hexadecimal.
    package var hex: String { withUnsafeBytes { Hex.encode($0) } }

    /// Appends the bytes as lower-case hexadecimal to `output`.
    func appendHex(to output: inout [UInt8]) {
        withUnsafeBytes { Hex.append($0, to: &output) }
    }

    /// The bytes as lower-case hexadecimal (a digest is not a secret by itself; an HMAC key never becomes one).
    package var description: String { hex }

    /// Equal when both hold the same bytes.
    package static func == (lhs: HashDigest, rhs: HashDigest) -> Bool {
        lhs.count == rhs.count && lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    /// Hashes the bytes.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }
}
