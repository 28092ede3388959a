/// The header lines of the response a ``CurlHandle`` is receiving, in ``AWSHTTPHeaderLines``' format, written by
/// curl's header callback through a pointer (no reference counting or exclusivity checks for each line) into memory
/// kept from one response to the next.
struct CurlResponseHead {
    private var bytes: UnsafeMutableRawPointer?
    private var count = 0
    private var capacity = 0
    /// The value of the head's Content-Length field (the last one), or nil.
    private(set) var contentLength: Int?

    /// Forgets the lines (for the next response).
    mutating func removeAll() {
        count = 0
        contentLength = nil
    }

    /// Appends one header line as curl delivers it (terminator included); a line starting with `HTTP/` (a new
    /// response head, after a 100 Continue, say) drops the lines before it.
    mutating func append(_ line: UnsafeRawBufferPointer) {
        let length = line.count
        if length >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
           line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
            removeAll()
            return
        }
        if count + 4 + length > capacity { grow(toHold: count + 4 + length) }
        let storage = bytes!
        storage.storeBytes(of: UInt32(truncatingIfNeeded: length), toByteOffset: count, as: UInt32.self)
        if let base = line.baseAddress, length > 0 { (storage + count + 4).copyMemory(from: base, byteCount: length) }
        count += 4 + length
        // "Content-Length:" in any case: the body's size, to make room for it once.
        if length >= 15, line[14] == UInt8(ascii: ":"), line[0] | 0x20 == UInt8(ascii: "c"),
           let (name, value) = AWSHTTPHeaderLines.field(in: line),
           name.elementsEqual("content-length".utf8, by: { ($0 >= 0x41 && $0 <= 0x5a ? $0 + 0x20 : $0) == $1 }) {
            contentLength = CurlResponseHead.decimalValue(value)
        }
    }

    /// A copy of the lines, for ``AWSHTTPHeaderLines``.
    var lines: AWSHTTPHeaderLines {
        let count = self.count
        guard count > 0, let bytes else { return AWSHTTPHeaderLines([]) }
        return AWSHTTPHeaderLines([UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: count))
            initialized = count
        })
    }

    /// Frees the memory (the head is not used again).
    mutating func deallocate() {
        bytes?.deallocate()
        bytes = nil
        count = 0
        capacity = 0
    }

    private mutating func grow(toHold needed: Int) {
        let newCapacity = max(needed, 2 * capacity, 512)
        let newBytes = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        if let bytes {
            newBytes.copyMemory(from: bytes, byteCount: count)
            bytes.deallocate()
        }
        bytes = newBytes
        capacity = newCapacity
    }

    /// The value of a decimal number of up to 18 digits (a Content-Length), or nil.
    static func decimalValue(_ digits: UnsafeRawBufferPointer) -> Int? {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= 0x30 && digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }
}
