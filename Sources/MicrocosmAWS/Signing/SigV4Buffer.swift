/// Bytes appended to memory the caller owns: the signer sizes one buffer (a heap block in `sign`, stack memory
/// for the canonical-request and string-to-sign accessors) by an upper bound of what a request needs and writes
/// the canonical request, the string to sign and the `Authorization` value into it, so signing builds no
/// intermediate strings or arrays.
///
/// Appending past the capacity stops the program (the bound is computed from the request; overrunning it is a bug).
struct SigV4Buffer {
    private let base: UnsafeMutablePointer<UInt8>
    /// The bytes the buffer can hold.
    let capacity: Int
    /// The bytes written so far.
    private(set) var count = 0

    /// A buffer writing to `memory`, from its start.
    init(_ memory: UnsafeMutableBufferPointer<UInt8>) {
        base = memory.baseAddress!
        capacity = memory.count
    }

    /// The bytes written in `range`.
    subscript(range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the written bytes")
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// The byte at `index` (written already).
    subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "index outside the written bytes")
        return base[index]
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        precondition(count < capacity, "SigV4 buffer overrun")
        base[count] = byte
        count &+= 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        let byteCount = bytes.count
        precondition(byteCount <= capacity - count, "SigV4 buffer overrun")
        let destination = UnsafeMutableRawPointer(base + count)
        if byteCount <= 64 {
            // Most pieces are a few bytes (a name, a value, a separator): copied a word at a time here, not by a
            // call to memmove per piece.
            var index = 0
            while index &+ 8 <= byteCount {
                destination.storeBytes(of: source.loadUnaligned(fromByteOffset: index, as: UInt64.self), toByteOffset: index,
                                       as: UInt64.self)
                index &+= 8
            }
            while index < byteCount {
                destination.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
                index &+= 1
            }
        } else {
            destination.copyMemory(from: source, byteCount: byteCount)
        }
        count &+= byteCount
    }

    /// Appends the UTF-8 of `text`.
    mutating func append(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append(UnsafeRawBufferPointer($0)) }
        if copied == nil { for byte in text.utf8 { append(byte) } }
    }

    /// Appends the bytes of `text`.
    mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends bytes `range` of this buffer again (they must not overlap the end).
    mutating func appendCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the written bytes")
        precondition(range.count <= capacity - count, "SigV4 buffer overrun")
        (base + count).update(from: base + range.lowerBound, count: range.count)
        count &+= range.count
    }

    /// Appends `digest` as lower-case hexadecimal.
    mutating func appendHex(_ digest: HashDigest) {
        let start = count
        precondition(2 * digest.count <= capacity - start, "SigV4 buffer overrun")
        digest.withUnsafeBytes { bytes in
            let output = base + start
            for index in 0..<bytes.count {
                let byte = bytes[index]
                output[2 &* index] = SigV4Buffer.lowerHexDigit(byte &>> 4)
                output[2 &* index &+ 1] = SigV4Buffer.lowerHexDigit(byte & 0x0f)
            }
        }
        count = start &+ 2 &* digest.count
    }

    /// Appends `value` in decimal (no sign: ports).
    mutating func appendDecimal(_ value: UInt) {
        var divisor: UInt = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }

    @inline(__always)
    private static func lowerHexDigit(_ nibble: UInt8) -> UInt8 {
        0x30 &+ nibble &+ (nibble > 9 ? 0x27 : 0)
    }

    /// Calls `body` with a buffer over `capacity` bytes of temporary (stack, when it fits) memory.
    static func withTemporary<Result>(capacity: Int, _ body: (inout SigV4Buffer) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { memory in
            var buffer = SigV4Buffer(memory)
            return body(&buffer)
        }
    }
}
