import Foundation
import MicrocosmAWS
import XCTest

/// A fresh directory under the system temporary directory, removed when released.
final class CredentialTestDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "microcosm-credential-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` inside the directory and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// An environment that never reaches the real ~/.aws or instance metadata: HOME is this
    /// directory, the shared files are `credentials` and `config` in it (absent until written) and
    /// IMDS is off; `extra` is merged on top (a nil value removes the variable).
    func environment(_ extra: [String: String?] = [:]) -> [String: String] {
        var environment = ["HOME": path, "AWS_SHARED_CREDENTIALS_FILE": path + "/credentials", "AWS_CONFIG_FILE": path + "/config",
                           "AWS_EC2_METADATA_DISABLED": "true"]
        for (name, value) in extra { environment[name] = value }
        return environment
    }
}

/// Secret values the redaction tests look for in every description, error and log line.
enum Sentinel {
    static let secretKey = "SENTINEL-SECRET-KEY"
    static let sessionToken = "SENTINEL-SESSION-TOKEN"
    static let webIdentityToken = "SENTINEL-WEB-IDENTITY-TOKEN"
    static let containerToken = "SENTINEL-CONTAINER-TOKEN"
    static let imdsToken = "SENTINEL-IMDS-TOKEN"

    /// Fails the test when `text` contains any sentinel.
    static func assertAbsent(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.contains("SENTINEL"), "a secret leaked: \(text)", file: file, line: line)
    }
}

extension AWSHTTPResponse {
    /// A 200 reply with a JSON body.
    static func json(_ text: String, status: Int = 200) -> AWSHTTPResponse {
        AWSHTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }

    /// A reply with a text body.
    static func text(_ text: String, status: Int = 200) -> AWSHTTPResponse {
        AWSHTTPResponse(status: status, body: Array(text.utf8))
    }
}

/// Runs `body` and returns the ``CredentialError`` it throws; fails the test when it throws none or another kind.
func credentialError(_ body: () async throws -> AWSCredentials, file: StaticString = #filePath, line: UInt = #line) async -> CredentialError? {
    do {
        let credentials = try await body()
        XCTFail("expected a CredentialError, got \(credentials)", file: file, line: line)
    } catch let error as CredentialError {
        return error
    } catch {
        XCTFail("expected a CredentialError, got \(error)", file: file, line: line)
    }
    return nil
}

/// The ISO 8601 text of `date` (whole seconds, UTC), as AWS sends expirations.
func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}
