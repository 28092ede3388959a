import MicrocosmAWS
import XCTest

final class EndpointResolutionTests: XCTestCase {
    func testResolveEndpoint_precedenceIsConfigThenServiceVariableThenGlobalVariableThenAWSDefault() throws {
        let all = ["AWS_ENDPOINT_URL_SQS": "http://sqs-var:1", "AWS_ENDPOINT_URL_SNS": "http://sns-var:1", "AWS_ENDPOINT_URL": "http://global:1"]
        let cases: [(service: String, explicit: String?, environment: [String: String], endpoint: String, source: String)] = [
            ("sqs", "http://localhost:5000", all, "http://localhost:5000", "config 'endpoint_url'"),
            ("sqs", nil, all, "http://sqs-var:1", "AWS_ENDPOINT_URL_SQS"),
            ("sns", nil, all, "http://sns-var:1", "AWS_ENDPOINT_URL_SNS"),
            ("sqs", nil, ["AWS_ENDPOINT_URL_SNS": "http://sns-var:1", "AWS_ENDPOINT_URL": "http://global:1"], "http://global:1", "AWS_ENDPOINT_URL"),
            ("sqs", nil, [:], "https://sqs.eu-west-1.amazonaws.com", "the AWS default"),
            ("sns", "", ["AWS_ENDPOINT_URL_SNS": ""], "https://sns.eu-west-1.amazonaws.com", "the AWS default"),
        ]
        for (service, explicit, environment, endpoint, source) in cases {
            let resolved = try AWSServiceSettings.resolveEndpoint(service: service, explicit: explicit, region: "eu-west-1",
                                                                  environment: environment)
            XCTAssertEqual(resolved.endpoint, endpoint, "\(service) \(String(describing: explicit)) \(environment)")
            XCTAssertEqual(resolved.source, source)
        }
    }

    func testResolveEndpoint_ignoreSwitchDropsTheVariablesButNotTheConfigValue() throws {
        let environment = ["AWS_ENDPOINT_URL_SQS": "http://sqs-var:1", "AWS_ENDPOINT_URL": "http://global:1",
                           "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]
        XCTAssertEqual(try AWSServiceSettings.resolveEndpoint(service: "sqs", explicit: nil, region: "us-east-1", environment: environment).endpoint,
                       "https://sqs.us-east-1.amazonaws.com")
        XCTAssertEqual(try AWSServiceSettings.resolveEndpoint(service: "sqs", explicit: "http://moto:5000", region: "us-east-1",
                                                              environment: environment).endpoint, "http://moto:5000")
        var notIgnoring = environment
        notIgnoring["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "false"
        XCTAssertEqual(try AWSServiceSettings.resolveEndpoint(service: "sqs", explicit: nil, region: "us-east-1", environment: notIgnoring).endpoint,
                       "http://sqs-var:1")
    }

    func testDefaultEndpoint_isHTTPSAndUsesTheChinaSuffixInChinaRegions() {
        XCTAssertEqual(AWSServiceSettings.defaultEndpoint(service: "sns", region: "us-east-1"), "https://sns.us-east-1.amazonaws.com")
        XCTAssertEqual(AWSServiceSettings.defaultEndpoint(service: "sqs", region: "cn-northwest-1"), "https://sqs.cn-northwest-1.amazonaws.com.cn")
    }

    func testResolveEndpoint_keepsAnExplicitHTTPEndpointAndDropsTrailingSlashes() throws {
        XCTAssertEqual(try AWSServiceSettings.resolveEndpoint(service: "sqs", explicit: "http://localhost:4566/", region: "us-east-1",
                                                              environment: [:]).endpoint, "http://localhost:4566")
        XCTAssertEqual(try AWSServiceSettings.resolveEndpoint(service: "sqs", explicit: "https://vpce-1.sqs.us-east-1.vpce.amazonaws.com",
                                                              region: "us-east-1", environment: [:]).endpoint,
                       "https://vpce-1.sqs.us-east-1.vpce.amazonaws.com")
    }

    func testResolveEndpoint_rejectsUnusableEndpointsNamingTheSource() {
        let cases: [(String?, [String: String], String)] = [
            ("localhost:4566", [:], "config 'endpoint_url' is not a usable endpoint 'localhost:4566': no scheme (use http:// or https://)"),
            (nil, ["AWS_ENDPOINT_URL_SQS": "ftp://host"], "AWS_ENDPOINT_URL_SQS is not a usable endpoint 'ftp://host': scheme must be http or https"),
            (nil, ["AWS_ENDPOINT_URL": "http://host:99999"], "AWS_ENDPOINT_URL is not a usable endpoint 'http://host:99999': port out of range"),
        ]
        for (explicit, environment, message) in cases {
            XCTAssertThrowsError(try AWSServiceSettings.resolveEndpoint(service: "sqs", explicit: explicit, region: "us-east-1",
                                                                        environment: environment)) {
                XCTAssertEqual("\($0)", message)
            }
        }
    }
}
