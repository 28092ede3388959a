/// The MD5 digests SQS reports for a message (`MD5OfMessageBody` / `MD5OfBody` and
/// `MD5OfMessageAttributes`), computed the way SQS computes them, so a sender or a consumer can
/// check that SQS stored what was sent.
///
/// The attributes digest follows the SQS Developer Guide ("Calculating the MD5 message digest
/// for message attributes"): for each attribute, names in ascending order, the name, the data
/// type and the value, each preceded by its length as a big-endian 32-bit integer, with a
/// transport byte (1 for string values, 2 for binary ones) between the type and the value.
///
/// ```swift
/// SQSMessageDigest.md5OfBody("test")                                          // "098f6bcd4621d373cade4e832627b4f6"
/// SQSMessageDigest.md5OfMessageAttributes(["attribName1": .string("attribValue 1")])
///                                                                             // "19e27d4e946b072f3f58da80d94fd778"
/// ```
public enum SQSMessageDigest {
    /// The transport byte for a value sent as `StringValue` (`String`, `Number` and custom subtypes).
    static let stringTransport: UInt8 = 1
    /// The transport byte for a value sent as `BinaryValue` (`Binary` and custom subtypes).
    static let binaryTransport: UInt8 = 2

    /// The lower-case hex MD5 of the body's UTF-8 bytes, as `MD5OfMessageBody` / `MD5OfBody`.
    public static func md5OfBody(_ body: String) -> String {
        MD5.hash(body.utf8).hex
    }

    /// The lower-case hex `MD5OfMessageAttributes` of `attributes`.
    ///
    /// A `Binary` attribute (data type `Binary` or `Binary.<custom>`) contributes its raw bytes
    /// (not base64); any other contributes its `StringValue` as UTF-8. SQS sends no digest for a
    /// message without attributes; for an empty dictionary this returns the MD5 of no bytes.
    public static func md5OfMessageAttributes(_ attributes: [String: MessageAttributeValue]) -> String {
        var md5 = MD5()
        var buffer: [UInt8] = []
        for name in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let value = attributes[name]!
            buffer.removeAll(keepingCapacity: true)
            appendLengthPrefixed(name.utf8, to: &buffer)
            appendLengthPrefixed(value.dataType.utf8, to: &buffer)
            if isBinary(dataType: value.dataType) {
                buffer.append(binaryTransport)
                appendLengthPrefixed(value.binaryValue ?? [], to: &buffer)
            } else {
                buffer.append(stringTransport)
                appendLengthPrefixed((value.stringValue ?? "").utf8, to: &buffer)
            }
            md5.update(buffer)
        }
        return md5.finalize().hex
    }

    /// True for `Binary` and `Binary.<custom>` data types, whose values travel as `BinaryValue`.
    static func isBinary(dataType: String) -> Bool {
        dataType == "Binary" || dataType.hasPrefix("Binary.")
    }

    private static func appendLengthPrefixed(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        let length = UInt32(truncatingIfNeeded: bytes.count)
        buffer.append(UInt8(truncatingIfNeeded: length >> 24))
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
        buffer.append(contentsOf: bytes)
    }
}
