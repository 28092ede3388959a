/// MD5 (RFC 1321), streaming or one-shot: SQS reports `MD5OfMessageBody` and `MD5OfMessageAttributes` with it.
///
/// MD5 is broken as a cryptographic hash; use it only to check what SQS says it received.
///
/// ```swift
/// MD5.hash("test".utf8).hex   // "098f6bcd4621d373cade4e832627b4f6"
/// var md5 = MD5()
/// md5.update(body)
/// md5.finalize().hex
/// ```
package struct MD5: Sendable {
    /// The digest size in bytes.
    package static let byteCount = 16
    /// The block size in bytes.
    package static let blockByteCount = 64

    /// The four chaining words.
    struct State {
        var a: UInt32 = 0x6745_2301, b: UInt32 = 0xefcd_ab89, c: UInt32 = 0x98ba_dcfe, d: UInt32 = 0x1032_5476
    }

    private var state = State()
    private var buffer = HashBlockBuffer()

    /// A hash of no bytes so far.
    package init() {}

    /// Adds `bytes` to the message.
    package mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        buffer.update(bytes, &state, compress: MD5.compress(_:blocks:count:))
    }

    /// Adds `bytes` to the message (`"text".utf8`, `[UInt8]`, `Data`, ...).
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update(bufferPointer: $0) } }
    }

    /// The digest of everything added so far. The hash is left as it was, so more may be added.
    package func finalize() -> HashDigest {
        var state = self.state
        buffer.pad(&state, bigEndianLength: false, compress: MD5.compress(_:blocks:count:))
        return HashDigest(count: MD5.byteCount) { output in
            output.storeBytes(of: state.a.littleEndian, toByteOffset: 0, as: UInt32.self)
            output.storeBytes(of: state.b.littleEndian, toByteOffset: 4, as: UInt32.self)
            output.storeBytes(of: state.c.littleEndian, toByteOffset: 8, as: UInt32.self)
            output.storeBytes(of: state.d.littleEndian, toByteOffset: 12, as: UInt32.self)
        }
    }

    /// The MD5 digest of `bytes`.
    package static func hash(_ bytes: some Sequence<UInt8>) -> HashDigest {
        var hash = MD5()
        hash.update(bytes)
        return hash.finalize()
    }

    /// The MD5 digest of `bytes`.
    package static func hash(bufferPointer bytes: UnsafeRawBufferPointer) -> HashDigest {
        var hash = MD5()
        hash.update(bufferPointer: bytes)
        return hash.finalize()
    }

    // MARK: - Compression

    /// floor(abs(sin(i + 1)) * 2^32), RFC 1321 section 3.4.
    private static let sineConstants: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]

    @inline(__always)
    private static func rotateLeft(_ value: UInt32, _ amount: UInt32) -> UInt32 {
        (value &<< amount) | (value &>> (32 &- amount))
    }

    /// Compresses `count` consecutive 64-byte blocks at `blocks` (any alignment) into `state`.
    static func compress(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        sineConstants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress!
            var a0 = state.a, b0 = state.b, c0 = state.c, d0 = state.d
            var block = blocks
            for _ in 0..<count {
                @inline(__always) func word(_ index: Int) -> UInt32 {
                    UInt32(littleEndian: block.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
                }
                var a = a0, b = b0, c = c0, d = d0
                @inline(__always) func step(_ mixed: UInt32, _ index: Int, _ wordIndex: Int, _ shift: UInt32) {
                    let sum = mixed &+ a &+ k[index] &+ word(wordIndex)
                    a = d
                    d = c
                    c = b
                    b = b &+ rotateLeft(sum, shift)
                }
                for index in stride(from: 0, to: 16, by: 4) {
                    step((b & c) | (~b & d), index, index, 7)
                    step((b & c) | (~b & d), index &+ 1, index &+ 1, 12)
                    step((b & c) | (~b & d), index &+ 2, index &+ 2, 17)
                    step((b & c) | (~b & d), index &+ 3, index &+ 3, 22)
                }
                for index in stride(from: 16, to: 32, by: 4) {
                    step((d & b) | (~d & c), index, (5 &* index &+ 1) & 15, 5)
                    step((d & b) | (~d & c), index &+ 1, (5 &* index &+ 6) & 15, 9)
                    step((d & b) | (~d & c), index &+ 2, (5 &* index &+ 11) & 15, 14)
                    step((d & b) | (~d & c), index &+ 3, (5 &* index &+ 16) & 15, 20)
                }
                for index in stride(from: 32, to: 48, by: 4) {
                    step(b ^ c ^ d, index, (3 &* index &+ 5) & 15, 4)
                    step(b ^ c ^ d, index &+ 1, (3 &* index &+ 8) & 15, 11)
                    step(b ^ c ^ d, index &+ 2, (3 &* index &+ 11) & 15, 16)
                    step(b ^ c ^ d, index &+ 3, (3 &* index &+ 14) & 15, 23)
                }
                for index in stride(from: 48, to: 64, by: 4) {
                    step(c ^ (b | ~d), index, (7 &* index) & 15, 6)
                    step(c ^ (b | ~d), index &+ 1, (7 &* index &+ 7) & 15, 10)
                    step(c ^ (b | ~d), index &+ 2, (7 &* index &+ 14) & 15, 15)
                    step(c ^ (b | ~d), index &+ 3, (7 &* index &+ 21) & 15, 21)
                }
                a0 &+= a; b0 &+= b; c0 &+= c; d0 &+= d
                block += MD5.blockByteCount
            }
            state = State(a: a0, b: b0, c: c0, d: d0)
        }
    }
}
