#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension AWSError {
    /// This error with `secrets` (and any SigV4 signature, credential, token or access key id, see
    /// ``Redaction``) taken out of its text.
    ///
    /// Servers echo requests back: some services quote the canonical request in
    /// `SignatureDoesNotMatch` messages, and with it the session token; a proxy or test server may
    /// echo the `Authorization` header. The client scrubs before it logs or throws.
    func redacting(_ secrets: [String]) -> AWSError {
        func scrub(_ text: String) -> String { Redaction.scrub(text, secrets: secrets) }
        return AWSError(code: Code(scrub(code.rawValue)), message: scrub(message), statusCode: statusCode, requestId: requestId.map(scrub),
                        service: service, action: action, senderFault: senderFault)
    }
}
