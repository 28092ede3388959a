import Foundation

extension AWSError {
    /// This error with every occurrence of `secrets` in its text replaced by `<redacted>`.
    ///
    /// Some services quote the canonical request in `SignatureDoesNotMatch` messages, and with it
    /// the session token; the client scrubs its own secrets before logging or throwing.
    func redacting(_ secrets: [String]) -> AWSError {
        let secrets = secrets.filter { !$0.isEmpty }
        guard !secrets.isEmpty else { return self }
        func scrub(_ text: String) -> String {
            secrets.reduce(text) { text, secret in text.replacingOccurrences(of: secret, with: "<redacted>") }
        }
        return AWSError(code: scrub(code), message: scrub(message), statusCode: statusCode, requestId: requestId.map(scrub),
                        service: service, action: action, senderFault: senderFault)
    }
}
