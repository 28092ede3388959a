/// HMAC-SHA256 (RFC 2104, RFC 4231), streaming or one-shot.
///
/// ```swift
/// HMAC.sha256(key: "key".utf8, message: "message".utf8).hex
/// var mac = HMAC(key: signingKey)     // keyed once ...
/// mac.update(stringToSign.utf8)       // ... then used for many messages (it is a value: copy it)
/// mac.finalize()
/// ```
///
/// A keyed `HMAC` holds hash state derived from the key, never the key itself, and its descriptions show nothing.
package struct HMAC: Sendable, CustomStringConvertible, CustomReflectable {
    private var inner: SHA256
    private var outer: SHA256

    /// An HMAC-SHA256 keyed with `key` (keys longer than 64 bytes are hashed first, as RFC 2104 says).
    package init(key: UnsafeRawBufferPointer) {
        self.init(key: key, engine: SHA256.preferredEngine)
    }

    /// The key zero-padded to one block, or its SHA-256 so padded when longer than a block (RFC 2104).
    static func paddedKey(_ key: UnsafeRawBufferPointer, engine: SHA256.Engine) -> SIMD64<UInt8> {
        var padded: SIMD64<UInt8> = SIMD64()
        withUnsafeMutableBytes(of: &padded) { padded in
            if key.count > SHA256.blockByteCount {
                SHA256.hash(bufferPointer: key, engine: engine).withUnsafeBytes { padded.copyMemory(from: $0) }
            } else if let base = key.baseAddress {
                padded.baseAddress!.copyMemory(from: base, byteCount: key.count)
            }
        }
        return padded
    }

    /// An HMAC-SHA256 keyed with `key` whose hashes compress with `engine` (which must be available).
    package init(key: UnsafeRawBufferPointer, engine: SHA256.Engine) {
        inner = SHA256(engine: engine)
        outer = SHA256(engine: engine)
        let padded = HMAC.paddedKey(key, engine: engine)
        var innerPad = padded ^ SIMD64(repeating: 0x36)
        var outerPad = padded ^ SIMD64(repeating: 0x5c)
        withUnsafeBytes(of: &innerPad) { inner.update(bufferPointer: $0) }
        withUnsafeBytes(of: &outerPad) { outer.update(bufferPointer: $0) }
    }

    /// An HMAC-SHA256 keyed with `key` (`"secret".utf8`, `[UInt8]`, a previous ``HashDigest``, ...).
    package init(key: some Sequence<UInt8>) {
        if let keyed = key.withContiguousStorageIfAvailable({ HMAC(key: UnsafeRawBufferPointer($0)) }) {
            self = keyed
        } else {
            self = Array(key).withUnsafeBytes { HMAC(key: $0) }
        }
    }

    /// Adds `bytes` to the message.
    package mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: bytes)
    }

    /// Adds `bytes` to the message.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        inner.update(bytes)
    }

    /// The MAC of everything added so far. The HMAC is left as it was, so more may be added.
    package func finalize() -> HashDigest {
        var outer = self.outer
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// The HMAC-SHA256 of `message` under `key`.
    package static func sha256(key: some Sequence<UInt8>, message: some Sequence<UInt8>) -> HashDigest {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.finalize()
    }

    /// Says only what it is: the state derives from a key.
    package var description: String { "HMAC-SHA256(<keyed>)" }

    /// No children: the state derives from a key.
    package var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// A keyed HMAC-SHA256 reduced to the two chaining states after its key's inner and outer pad blocks: what
/// signing keeps per signing key. ``mac(bufferPointer:)`` gives the MAC that ``HMAC`` gives for the same key and
/// message, in two one-shot hashes (no block buffers to copy, pad or carry).
///
/// Like ``HMAC``, it holds state derived from the key, never the key, and its descriptions show nothing.
package struct HMACKeyState: Sendable, CustomStringConvertible, CustomReflectable {
    /// The states after the inner and outer pad blocks.
    let inner: SHA256.State
    let outer: SHA256.State
    let engine: SHA256.Engine

    /// Keyed with `key` (keys longer than 64 bytes are hashed first), compressing with `engine` (which must be available).
    package init(key: UnsafeRawBufferPointer, engine: SHA256.Engine) {
        let padded = HMAC.paddedKey(key, engine: engine)
        let innerPad = padded ^ SIMD64(repeating: 0x36)
        let outerPad = padded ^ SIMD64(repeating: 0x5c)
        inner = withUnsafeBytes(of: innerPad) { SHA256.state(afterBlock: $0.baseAddress!, engine: engine) }
        outer = withUnsafeBytes(of: outerPad) { SHA256.state(afterBlock: $0.baseAddress!, engine: engine) }
        self.engine = engine
    }

    /// The HMAC-SHA256 of `message`.
    package func mac(bufferPointer message: UnsafeRawBufferPointer) -> HashDigest {
        let innerDigest = SHA256.digest(continuing: inner, afterByteCount: SHA256.blockByteCount, bufferPointer: message,
                                        engine: engine)
        return innerDigest.withUnsafeBytes {
            SHA256.digest(continuing: outer, afterByteCount: SHA256.blockByteCount, bufferPointer: $0, engine: engine)
        }
    }

    /// The HMAC-SHA256 of a message whose first `byteCount` bytes (a multiple of 64) are compressed into `innerState`
    /// (continued from ``inner``, after its 64 bytes of pad) and whose rest is `rest`.
    func mac(continuing innerState: SHA256.State, afterByteCount byteCount: Int, bufferPointer rest: UnsafeRawBufferPointer) -> HashDigest {
        let innerDigest = SHA256.digest(continuing: innerState, afterByteCount: SHA256.blockByteCount + byteCount,
                                        bufferPointer: rest, engine: engine)
        return innerDigest.withUnsafeBytes {
            SHA256.digest(continuing: outer, afterByteCount: SHA256.blockByteCount, bufferPointer: $0, engine: engine)
        }
    }

    /// Says only what it is: the state derives from a key.
    package var description: String { "HMAC-SHA256(<keyed>)" }

    /// No children: the state derives from a key.
    package var customMirror: Mirror { Mirror(self, children: [:]) }
}
