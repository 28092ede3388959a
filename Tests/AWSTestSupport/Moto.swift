import Foundation
import MicrocosmAWS
import XCTest

/// The moto server that `scripts/test` starts for integration tests (`MOTO_ENDPOINT_URL`).
///
/// ```swift
/// func testSomething() async throws {
///     let endpoint = try Moto.requireEndpoint()    // skips, saying why, when there is no server
///     let queue = Moto.uniqueName("orders")
/// }
/// ```
public enum Moto {
    /// The server's URL, when one was started.
    public static var endpoint: String? {
        ProcessInfo.processInfo.environment["MOTO_ENDPOINT_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The server's URL; otherwise skips the test with a printed reason.
    public static func requireEndpoint() throws -> String {
        guard let endpoint else {
            let reason = "MOTO_ENDPOINT_URL is not set, so this integration test is skipped (scripts/test starts moto_server and sets it)"
            print(reason)
            throw XCTSkip(reason)
        }
        return endpoint
    }

    /// moto accepts any credentials; these are obviously fake.
    public static let credentials = AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing", source: "moto")

    /// The region the tests use.
    public static let region = "us-east-1"

    /// moto's default account.
    public static let account = "123456789012"

    /// `prefix` plus a random suffix, so tests never share topics or queues.
    public static func uniqueName(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.prefix(8).lowercased()
    }
}
