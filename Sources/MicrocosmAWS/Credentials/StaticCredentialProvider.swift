/// Always the same credentials: for tests, moto, LocalStack, or keys the application got elsewhere.
///
/// ```swift
/// let provider = StaticCredentialProvider(AWSCredentials(accessKeyId: "test", secretAccessKey: "test"))
/// ```
public struct StaticCredentialProvider: CredentialProvider {
    public let name = "static"
    private let value: AWSCredentials

    /// Returns `credentials` on every call.
    public init(_ credentials: AWSCredentials) { value = credentials }

    public func credentials() async throws -> AWSCredentials { value }
}
