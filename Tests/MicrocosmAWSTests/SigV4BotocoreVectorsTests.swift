import Foundation
import MicrocosmAWS
import XCTest

/// SNS query and SQS JSON 1.0 requests signed by botocore's own SigV4Auth (Fixtures/sigv4/botocore-vectors.json,
/// made by scripts/make-sigv4-fixtures): we sign the same inputs and must produce every header botocore set.
final class SigV4BotocoreVectorsTests: XCTestCase {
    private struct Fixture: Decodable {
        let botocore: String
        let vectors: [Vector]
    }

    private struct Vector: Decodable {
        let name: String
        let input: Input
        let expected: Expected
    }

    private struct Input: Decodable {
        let method: String
        let url: String
        let headers: [[String]]
        let body: String
        let accessKeyId: String
        let secretAccessKey: String
        let sessionToken: String?
        let date: String
        let region: String
        let service: String
    }

    private struct Expected: Decodable {
        let canonicalRequest: String
        let stringToSign: String
        let headers: [String: String?]
    }

    func testSign_botocoreVectors_produceBotocoresHeaders() throws {
        let fixture = try Self.fixture()
        // One signer per service and region, shared across vectors, as a client would hold it: its key cache sees
        // several secrets and days.
        var signers: [String: SigV4Signer] = [:]
        for vector in fixture.vectors {
            let input = vector.input
            let key = "\(input.service)/\(input.region)"
            let signer = signers[key] ?? SigV4Signer(service: input.service, region: input.region)
            signers[key] = signer
            let (request, credentials, date) = try Self.inputs(of: vector)
            let signed = signer.sign(request, credentials: credentials, date: date)

            XCTAssertEqual(signer.canonicalRequest(for: request, credentials: credentials, date: date),
                           vector.expected.canonicalRequest, "\(vector.name): canonical request")
            XCTAssertEqual(signer.stringToSign(for: request, credentials: credentials, date: date),
                           vector.expected.stringToSign, "\(vector.name): string to sign")
            XCTAssertEqual(Set(vector.expected.headers.keys), ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
            for (name, expected) in vector.expected.headers {
                XCTAssertEqual(signed.headers.values(for: name), expected.map { [$0] } ?? [], "\(vector.name): \(name)")
            }
            // Everything else is left as it was, and no Host header is added.
            let untouched = { (headers: AWSHTTPHeaders) in
                headers.fields.filter { !vector.expected.headers.keys.contains($0.name) }
            }
            XCTAssertEqual(untouched(signed.headers), untouched(request.headers), "\(vector.name): other headers")
            XCTAssertFalse(signed.headers.contains("Host"), "\(vector.name): no Host header added")
            XCTAssertEqual(signed.body, request.body, "\(vector.name): body")
        }
    }

    func testFixture_coversSNSAndSQSWithAndWithoutTokensOnAWSAndLoopbackEndpoints() throws {
        let vectors = try Self.fixture().vectors
        for service in ["sns", "sqs"] {
            let ofService = vectors.filter { $0.input.service == service }
            XCTAssertTrue(ofService.contains { $0.input.sessionToken != nil }, "\(service) with a session token")
            XCTAssertTrue(ofService.contains { $0.input.sessionToken == nil }, "\(service) without a session token")
            XCTAssertTrue(ofService.contains { $0.input.url.hasPrefix("http://127.0.0.1:5000") }, "\(service) on loopback")
            XCTAssertTrue(ofService.contains { $0.input.url.contains(".amazonaws.com") }, "\(service) on AWS")
            XCTAssertGreaterThan(Set(ofService.map(\.input.region)).count, 1, "\(service) in several regions")
        }
        let snsContentTypes = Set(vectors.filter { $0.input.service == "sns" }.flatMap { vector in
            vector.input.headers.filter { $0.first == "Content-Type" }.map { $0.last ?? "" }
        })
        XCTAssertEqual(snsContentTypes, ["application/x-www-form-urlencoded; charset=utf-8"])
        let sqsTargets = Set(vectors.filter { $0.input.service == "sqs" }.flatMap { vector in
            vector.input.headers.filter { $0.first == "X-Amz-Target" }.map { $0.last ?? "" }
        })
        XCTAssertTrue(sqsTargets.isSuperset(of: ["AmazonSQS.SendMessage", "AmazonSQS.ReceiveMessage"]), "\(sqsTargets)")
    }

    // MARK: - Helpers

    private static func fixture() throws -> Fixture {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("Fixtures/sigv4/botocore-vectors.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertGreaterThanOrEqual(fixture.vectors.count, 10, "vectors in \(url.path)")
        return fixture
    }

    private static func inputs(of vector: Vector) throws -> (AWSHTTPRequest, AWSCredentials, Date) {
        let input = vector.input
        let headers = AWSHTTPHeaders(try input.headers.map { pair in
            guard pair.count == 2 else { throw FixtureError(description: "\(vector.name): header \(pair) is not a pair") }
            return AWSHTTPHeaders.Field(name: pair[0], value: pair[1])
        })
        let request = try AWSHTTPRequest(method: input.method, url: input.url, headers: headers, body: Array(input.body.utf8))
        let credentials = AWSCredentials(accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey,
                                         sessionToken: input.sessionToken)
        guard let date = ISO8601DateFormatter().date(from: input.date) else {
            throw FixtureError(description: "\(vector.name): bad date '\(input.date)'")
        }
        return (request, credentials, date)
    }

    private struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }
}
