#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON

/// Reads the JSON credentials that the container endpoint and IMDS return:
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`.
///
/// Errors name the provider and the missing field; they never quote the body (it holds secrets).
enum CredentialReply {
    /// The body as a JSON object.
    static func jsonObject(_ body: [UInt8], provider: String) throws(CredentialError) -> JSONObject {
        let parsed: JSONValue
        do throws(JSONParseError) {
            parsed = try JSONParser.parse(body)
        } catch {
            throw CredentialError(provider: provider, reason: "reply is not valid JSON (line \(error.line), column \(error.column))")
        }
        guard let object = parsed.objectValue else { throw CredentialError(provider: provider, reason: "reply is not a JSON object") }
        return object
    }

    /// Credentials from the body; `source` goes into ``AWSCredentials/source``.
    static func parse(_ body: [UInt8], provider: String, source: String) throws(CredentialError) -> AWSCredentials {
        let object = try jsonObject(body, provider: provider)
        func field(_ name: String) throws(CredentialError) -> String {
            guard let value = object[name]?.stringValue, !value.isEmpty else {
                throw CredentialError(provider: provider, reason: "credentials reply has no \(name)")
            }
            return value
        }
        let accessKeyId = try field("AccessKeyId")
        let secretAccessKey = try field("SecretAccessKey")
        let token = object["Token"]?.stringValue
        var expiration: Date?
        if let text = object["Expiration"]?.stringValue {
            guard let date = CredentialTimestamp.parse(text) else {
                throw CredentialError(provider: provider, reason: "credentials reply has an Expiration that is not an ISO 8601 time")
            }
            expiration = date
        }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
                              sessionToken: token?.isEmpty == false ? token : nil, expiration: expiration, source: source)
    }
}
