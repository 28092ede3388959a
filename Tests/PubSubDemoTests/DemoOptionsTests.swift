import Microcosm
@testable import PubSubDemo
import XCTest

/// `pubsub demo`'s options: defaults, the region's sources, the endpoint.
final class DemoOptionsTests: XCTestCase {
    private func options(_ arguments: [String], environment: [String: String] = [:]) throws -> DemoOptions {
        try DemoOptions(try DemoCommand.interface.parse(arguments), environment: environment)
    }

    func testDefaults_areTheEmbeddedBroker_concurrency8_60Seconds_quiet() throws {
        let options = try options([])
        XCTAssertEqual(options, DemoOptions())
        XCTAssertEqual(options.endpointURL, "memory://")
        XCTAssertTrue(options.isEmbedded)
        XCTAssertEqual(options.concurrency, 8)
        XCTAssertEqual(options.timeout, .seconds(60))
        XCTAssertEqual(options.logLevel, "error")
    }

    func testRegion_comesFromTheFlag_thenAWS_REGION_thenAWS_DEFAULT_REGION_thenUsEast1() throws {
        XCTAssertEqual(try options([]).region, "us-east-1")
        XCTAssertEqual(try options([], environment: ["AWS_DEFAULT_REGION": "eu-west-1"]).region, "eu-west-1")
        XCTAssertEqual(try options([], environment: ["AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "eu-west-1"]).region, "eu-central-1")
        XCTAssertEqual(try options(["--region", "ap-south-1"], environment: ["AWS_REGION": "eu-central-1"]).region, "ap-south-1")
    }

    func testEndpoint_takesHTTPAndHTTPSURLs_andMemory() throws {
        let local = try options(["--endpoint-url", "http://localhost:4566", "--verbose", "--timeout", "2.5", "--concurrency", "32"])
        XCTAssertEqual(local.endpointURL, "http://localhost:4566")
        XCTAssertFalse(local.isEmbedded)
        XCTAssertEqual(local.logLevel, "info")
        XCTAssertEqual(local.timeout, .milliseconds(2500))
        XCTAssertEqual(local.concurrency, 32)
        XCTAssertTrue(try options(["--endpoint-url", "memory://"]).isEmbedded)
        XCTAssertEqual(try options(["--endpoint-url", "https://sqs.eu-west-1.amazonaws.com"]).endpointURL, "https://sqs.eu-west-1.amazonaws.com")
        XCTAssertThrowsError(try options(["--endpoint-url", "http://"]))
    }

    func testMediaTypeOfBody_readsTheMessageOrTheSNSEnvelope_andNothingFromOtherBodies() {
        let message = #"{"mediaType": "application/vnd.globality.pubsub._.created.order", "uri": "http://orders/1"}"#
        let envelope = #"{"Type": "Notification", "Message": "{\"mediaType\": \"application/vnd.globality.pubsub._.created.order\"}"}"#
        XCTAssertEqual(Demo.mediaType(ofBody: message), .created("Order"))
        XCTAssertEqual(Demo.mediaType(ofBody: envelope), .created("Order"))
        XCTAssertNil(Demo.mediaType(ofBody: "this is not JSON {"))
        XCTAssertNil(Demo.mediaType(ofBody: #"{"Message": "not JSON"}"#))
    }
}
