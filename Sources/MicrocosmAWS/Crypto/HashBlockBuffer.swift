/// The partial block and byte count that ``MD5`` and ``SHA256`` share: both take 64-byte blocks and pad the same way.
///
/// Whole blocks go to `compress` straight from the caller's buffer; only a partial block is copied, into inline
/// storage, so hashing allocates nothing. `compress(&state, blocks, count)` takes `count` consecutive blocks at
/// `blocks` (any alignment).
struct HashBlockBuffer: Sendable {
    /// The block size in bytes.
    static let blockByteCount = 64

    /// Bytes waiting for a full block.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var totalByteCount: UInt64 = 0

    /// Compresses every whole block `bytes` completes and keeps the rest.
    @inline(__always)
    mutating func update<State>(
        _ bytes: UnsafeRawBufferPointer, _ state: inout State,
        compress: (inout State, UnsafeRawPointer, Int) -> Void
    ) {
        guard var input = bytes.baseAddress, !bytes.isEmpty else { return }
        var remaining = bytes.count
        totalByteCount &+= UInt64(remaining)
        let alreadyPending = pendingCount
        if alreadyPending > 0 {
            let taken = min(Self.blockByteCount - alreadyPending, remaining)
            withUnsafeMutableBytes(of: &pending) { pending in
                (pending.baseAddress! + alreadyPending).copyMemory(from: input, byteCount: taken)
            }
            input += taken
            remaining -= taken
            if alreadyPending + taken < Self.blockByteCount {
                pendingCount = alreadyPending + taken
                return
            }
            let block = pending
            withUnsafeBytes(of: block) { compress(&state, $0.baseAddress!, 1) }
            pendingCount = 0
        }
        let wholeBlocks = remaining / Self.blockByteCount
        if wholeBlocks > 0 {
            compress(&state, input, wholeBlocks)
            input += wholeBlocks * Self.blockByteCount
            remaining -= wholeBlocks * Self.blockByteCount
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: input, byteCount: remaining) }
            pendingCount = remaining
        }
    }

    /// Compresses the padding into `state`: 0x80, zeros, then the 64-bit bit count (big-endian for SHA-256,
    /// little-endian for MD5), filling one or two blocks. The buffer itself is left as it was.
    @inline(__always)
    func pad<State>(
        _ state: inout State, bigEndianLength: Bool,
        compress: (inout State, UnsafeRawPointer, Int) -> Void
    ) {
        let bitCount = totalByteCount &* 8
        let count = pendingCount
        var tail: (SIMD64<UInt8>, SIMD64<UInt8>) = (SIMD64(), SIMD64())
        let tailByteCount = count < 56 ? 64 : 128
        withUnsafeMutableBytes(of: &tail) { tail in
            withUnsafeBytes(of: pending) { tail.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            tail[count] = 0x80
            tail.storeBytes(
                of: bigEndianLength ? bitCount.bigEndian : bitCount.littleEndian,
                toByteOffset: tailByteCount - 8, as: UInt64.self)
            compress(&state, tail.baseAddress!, tailByteCount / Self.blockByteCount)
        }
    }
}
