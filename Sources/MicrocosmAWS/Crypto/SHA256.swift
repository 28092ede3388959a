import CSHA256

/// SHA-256 (FIPS 180-4), streaming or one-shot.
///
/// ```swift
/// var hash = SHA256()
/// hash.update("ab".utf8)
/// hash.update("c".utf8)
/// hash.finalize().hex        // "ba7816bf..."
/// SHA256.hash("abc".utf8)    // the same digest in one call
/// ```
///
/// Whole blocks are compressed straight from the caller's buffer; only a partial block is copied, into
/// inline storage, so hashing allocates nothing. Blocks are compressed with the CPU's SHA-256 instructions
/// (x86-64 SHA extensions, Armv8 SHA-2) when it has them, and by portable Swift code otherwise.
package struct SHA256: Sendable {
    /// What compresses the blocks: the portable Swift code, or the CPU's SHA-256 instructions (C, in `CSHA256`).
    package enum Engine: Sendable, Hashable, CaseIterable {
        /// The Swift code below: runs everywhere, and is the reference the hardware engine is tested against.
        case swift
        /// The CPU's SHA-256 instructions; usable only when ``SHA256/hardwareAvailable``.
        case hardware
    }

    /// True when this CPU has the SHA-256 instructions the hardware engine uses.
    package static let hardwareAvailable = csha256_hardware_available() != 0

    /// The engine ``init()`` uses: the hardware one when available.
    package static let preferredEngine: Engine = hardwareAvailable ? .hardware : .swift

    /// The digest size in bytes.
    package static let byteCount = 32
    /// The block size in bytes.
    package static let blockByteCount = 64

    /// The eight chaining words.
    struct State {
        var h0: UInt32 = 0x6a09_e667, h1: UInt32 = 0xbb67_ae85, h2: UInt32 = 0x3c6e_f372, h3: UInt32 = 0xa54f_f53a
        var h4: UInt32 = 0x510e_527f, h5: UInt32 = 0x9b05_688c, h6: UInt32 = 0x1f83_d9ab, h7: UInt32 = 0x5be0_cd19
    }

    private var state = State()
    private var buffer = HashBlockBuffer()
    private let engine: Engine

    /// A hash of no bytes so far.
    package init() {
        engine = SHA256.preferredEngine
    }

    /// A hash of no bytes so far that compresses with `engine` (which must be available).
    package init(engine: Engine) {
        precondition(engine == .swift || SHA256.hardwareAvailable, "this CPU has no SHA-256 instructions")
        self.engine = engine
    }

    /// Adds `bytes` to the message.
    package mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        let engine = self.engine
        buffer.update(bytes, &state) { SHA256.compress(&$0, blocks: $1, count: $2, engine: engine) }
    }

    /// Adds `bytes` to the message (`"text".utf8`, `[UInt8]`, `Data`, a digest, ...).
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update(bufferPointer: $0) } }
    }

    /// The digest of everything added so far. The hash is left as it was, so more may be added.
    package func finalize() -> HashDigest {
        var state = self.state
        let engine = self.engine
        buffer.pad(&state, bigEndianLength: true) { SHA256.compress(&$0, blocks: $1, count: $2, engine: engine) }
        return SHA256.digest(of: state)
    }

    /// The SHA-256 digest of `bytes`.
    package static func hash(_ bytes: some Sequence<UInt8>) -> HashDigest {
        var hash = SHA256()
        hash.update(bytes)
        return hash.finalize()
    }

    /// The SHA-256 digest of `bytes`.
    package static func hash(bufferPointer bytes: UnsafeRawBufferPointer) -> HashDigest {
        var hash = SHA256()
        hash.update(bufferPointer: bytes)
        return hash.finalize()
    }

    /// The SHA-256 digest of `bytes`, compressed with `engine`: in one call (see
    /// ``digest(continuing:afterByteCount:bufferPointer:engine:)``), the same digest as `update` then `finalize`.
    package static func hash(bufferPointer bytes: UnsafeRawBufferPointer, engine: Engine) -> HashDigest {
        digest(continuing: State(), afterByteCount: 0, bufferPointer: bytes, engine: engine)
    }

    /// The digest of a message whose first `byteCount` bytes (a multiple of 64) are already compressed into `state`
    /// and whose rest is `bytes`: the whole blocks of `bytes` compressed from where they are, the last partial block
    /// and the padding from the stack. What a streaming hash does in `update` and `finalize`, without its block
    /// buffer (signing hashes whole buffers, and an HMAC continues from the states after its key's pad blocks).
    static func digest(continuing state: State, afterByteCount byteCount: Int, bufferPointer bytes: UnsafeRawBufferPointer,
                       engine: Engine) -> HashDigest {
        precondition(engine == .swift || SHA256.hardwareAvailable, "this CPU has no SHA-256 instructions")
        var state = state
        let count = bytes.count
        let wholeBlocks = count / SHA256.blockByteCount
        let rest = count - wholeBlocks * SHA256.blockByteCount
        if wholeBlocks > 0 { compress(&state, blocks: bytes.baseAddress!, count: wholeBlocks, engine: engine) }
        var tail: (SIMD64<UInt8>, SIMD64<UInt8>) = (SIMD64(), SIMD64())
        let tailByteCount = rest < 56 ? 64 : 128
        let bitCount = UInt64(byteCount + count) &* 8
        withUnsafeMutableBytes(of: &tail) { tail in
            if rest > 0 {
                tail.baseAddress!.copyMemory(from: bytes.baseAddress! + wholeBlocks * SHA256.blockByteCount, byteCount: rest)
            }
            tail[rest] = 0x80
            tail.storeBytes(of: bitCount.bigEndian, toByteOffset: tailByteCount - 8, as: UInt64.self)
            compress(&state, blocks: tail.baseAddress!, count: tailByteCount / SHA256.blockByteCount, engine: engine)
        }
        return digest(of: state)
    }

    /// The eight words of `state`, big-endian.
    private static func digest(of state: State) -> HashDigest {
        HashDigest(count: SHA256.byteCount) { output in
            output.storeBytes(of: state.h0.bigEndian, toByteOffset: 0, as: UInt32.self)
            output.storeBytes(of: state.h1.bigEndian, toByteOffset: 4, as: UInt32.self)
            output.storeBytes(of: state.h2.bigEndian, toByteOffset: 8, as: UInt32.self)
            output.storeBytes(of: state.h3.bigEndian, toByteOffset: 12, as: UInt32.self)
            output.storeBytes(of: state.h4.bigEndian, toByteOffset: 16, as: UInt32.self)
            output.storeBytes(of: state.h5.bigEndian, toByteOffset: 20, as: UInt32.self)
            output.storeBytes(of: state.h6.bigEndian, toByteOffset: 24, as: UInt32.self)
            output.storeBytes(of: state.h7.bigEndian, toByteOffset: 28, as: UInt32.self)
        }
    }

    /// The state after compressing the one block at `block` into the initial state (an HMAC's pad block).
    static func state(afterBlock block: UnsafeRawPointer, engine: Engine) -> State {
        state(afterBlocks: block, count: 1, engine: engine)
    }

    /// The state after compressing the `count` blocks at `blocks` into the initial state (a message's first blocks,
    /// to be continued with ``digest(continuing:afterByteCount:bufferPointer:engine:)``).
    static func state(afterBlocks blocks: UnsafeRawPointer, count: Int, engine: Engine) -> State {
        state(continuing: State(), blocks: blocks, count: count, engine: engine)
    }

    /// `state` after compressing the `count` blocks at `blocks` into it.
    static func state(continuing state: State, blocks: UnsafeRawPointer, count: Int, engine: Engine) -> State {
        precondition(engine == .swift || SHA256.hardwareAvailable, "this CPU has no SHA-256 instructions")
        var state = state
        if count > 0 { compress(&state, blocks: blocks, count: count, engine: engine) }
        return state
    }

    // MARK: - Compression

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ amount: UInt32) -> UInt32 {
        (value &>> amount) | (value &<< (32 &- amount))
    }

    /// One SHA-256 round: `d += T1`, `h = T1 + T2` (the caller rotates the roles of the eight variables).
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ constantPlusWord: UInt32) {
        let sigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
        let choice = g ^ (e & (f ^ g))
        let t1 = h &+ sigma1 &+ choice &+ constantPlusWord
        let sigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
        let majority = (a & b) | (c & (a | b))
        d &+= t1
        h = t1 &+ sigma0 &+ majority
    }

    /// Compresses `count` consecutive 64-byte blocks at `blocks` (any alignment) into `state` with `engine`.
    @inline(__always)
    static func compress(_ state: inout State, blocks: UnsafeRawPointer, count: Int, engine: Engine) {
        switch engine {
        case .hardware: compressWithInstructions(&state, blocks: blocks, count: count)
        case .swift: compress(&state, blocks: blocks, count: count)
        }
    }

    /// Compresses with the CPU's SHA-256 instructions (`csha256_compress_hardware`).
    private static func compressWithInstructions(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        // A tuple of eight words is laid out as C's uint32_t[8].
        var words = (state.h0, state.h1, state.h2, state.h3, state.h4, state.h5, state.h6, state.h7)
        withUnsafeMutableBytes(of: &words) { words in
            csha256_compress_hardware(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                      blocks.assumingMemoryBound(to: UInt8.self), count)
        }
        state = State(h0: words.0, h1: words.1, h2: words.2, h3: words.3,
                      h4: words.4, h5: words.5, h6: words.6, h7: words.7)
    }

    /// Compresses `count` consecutive 64-byte blocks at `blocks` (any alignment) into `state`, in Swift.
    static func compress(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        roundConstants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress!
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                let w = schedule.baseAddress!
                var h0 = state.h0, h1 = state.h1, h2 = state.h2, h3 = state.h3
                var h4 = state.h4, h5 = state.h5, h6 = state.h6, h7 = state.h7
                var block = blocks
                for _ in 0..<count {
                    for index in 0..<16 {
                        w[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
                    }
                    for index in 16..<64 {
                        let w15 = w[index &- 15], w2 = w[index &- 2]
                        let s0 = rotateRight(w15, 7) ^ rotateRight(w15, 18) ^ (w15 &>> 3)
                        let s1 = rotateRight(w2, 17) ^ rotateRight(w2, 19) ^ (w2 &>> 10)
                        w[index] = w[index &- 16] &+ s0 &+ w[index &- 7] &+ s1
                    }
                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                    // Eight rounds per pass, the working variables' roles rotating instead of being moved.
                    for index in stride(from: 0, to: 64, by: 8) {
                        round(a, b, c, &d, e, f, g, &h, k[index] &+ w[index])
                        round(h, a, b, &c, d, e, f, &g, k[index &+ 1] &+ w[index &+ 1])
                        round(g, h, a, &b, c, d, e, &f, k[index &+ 2] &+ w[index &+ 2])
                        round(f, g, h, &a, b, c, d, &e, k[index &+ 3] &+ w[index &+ 3])
                        round(e, f, g, &h, a, b, c, &d, k[index &+ 4] &+ w[index &+ 4])
                        round(d, e, f, &g, h, a, b, &c, k[index &+ 5] &+ w[index &+ 5])
                        round(c, d, e, &f, g, h, a, &b, k[index &+ 6] &+ w[index &+ 6])
                        round(b, c, d, &e, f, g, h, &a, k[index &+ 7] &+ w[index &+ 7])
                    }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
                    block += SHA256.blockByteCount
                }
                state = State(h0: h0, h1: h1, h2: h2, h3: h3, h4: h4, h5: h5, h6: h6, h7: h7)
            }
        }
    }
}
