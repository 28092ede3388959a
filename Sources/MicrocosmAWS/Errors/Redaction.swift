/// Takes secrets out of text that a server sent back or that quotes a request: an error message,
/// a body snippet, a log line.
///
/// Besides the given secrets (secret key, session token, access key id, Authorization value), it
/// removes what SigV4 puts in requests whoever's it is: the value after `Signature=` (and
/// `X-Amz-Signature=`), after `Credential=` (the access key id and scope), after
/// `X-Amz-Security-Token=` / `x-amz-security-token:`, and anything shaped like an AWS access key id
/// (`AKIA` or `ASIA` and 16 more letters or digits).
///
/// ```swift
/// Redaction.scrub("echo: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/sqs/aws4_request, Signature=5d67...", secrets: [])
/// // "echo: AWS4-HMAC-SHA256 Credential=<redacted>, Signature=<redacted>"
/// ```
package enum Redaction {
    /// What replaces a secret.
    package static let placeholder = "<redacted>"

    /// `text` without `secrets` (empty ones are ignored) and without SigV4 signatures, credentials and tokens.
    package static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty && result.contains(secret) {
            result = result.replacing(secret, with: placeholder)
        }
        return scrubPatterns(result)
    }

    private struct Marker: Sendable {
        let text: [UInt8]
        let isValue: @Sendable (UInt8) -> Bool
    }

    private static let markers: [Marker] = [
        Marker(text: Array("signature=".utf8), isValue: isHex),
        Marker(text: Array("credential=".utf8), isValue: isCredential),
        Marker(text: Array("x-amz-security-token=".utf8), isValue: isToken),
        Marker(text: Array("x-amz-security-token:".utf8), isValue: isToken),
    ]

    private static func scrubPatterns(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var changed = false
        var index = 0
        scan: while index < bytes.count {
            for marker in markers where matches(marker.text, in: bytes, at: index) {
                var end = index + marker.text.count
                output.append(contentsOf: bytes[index..<end])
                while end < bytes.count, bytes[end] == UInt8(ascii: " ") { output.append(bytes[end]); end += 1 }
                let valueStart = end
                while end < bytes.count, marker.isValue(bytes[end]) { end += 1 }
                if end > valueStart {
                    output.append(contentsOf: placeholder.utf8)
                    changed = true
                }
                index = end
                continue scan
            }
            if let length = accessKeyIdLength(in: bytes, at: index) {
                output.append(contentsOf: placeholder.utf8)
                changed = true
                index += length
                continue
            }
            output.append(bytes[index])
            index += 1
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }

    /// True when `marker` (lower-case) starts at `index`, in any case.
    private static func matches(_ marker: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        guard index + marker.count <= bytes.count else { return false }
        for offset in 0..<marker.count {
            var byte = bytes[index + offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            if byte != marker[offset] { return false }
        }
        return true
    }

    /// 20 for `AKIA`/`ASIA` and 16 upper-case letters or digits not inside a longer word.
    private static func accessKeyIdLength(in bytes: [UInt8], at index: Int) -> Int? {
        guard index + 20 <= bytes.count, bytes[index] == UInt8(ascii: "A"),
              bytes[index + 1] == UInt8(ascii: "K") || bytes[index + 1] == UInt8(ascii: "S"),
              bytes[index + 2] == UInt8(ascii: "I"), bytes[index + 3] == UInt8(ascii: "A"),
              index == 0 || !isUpperAlphanumeric(bytes[index - 1]),
              bytes[(index + 4)..<(index + 20)].allSatisfy(isUpperAlphanumeric),
              index + 20 == bytes.count || !isUpperAlphanumeric(bytes[index + 20]) else { return nil }
        return 20
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isUpperAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// A credential runs to a comma, quote, space, `&`, `<` or the end (its `/` scope included).
    private static func isCredential(_ byte: UInt8) -> Bool {
        !(byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<") || byte < 0x20)
    }

    private static func isToken(_ byte: UInt8) -> Bool { isCredential(byte) }
}
