import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import PubSubCLI
import SimpleDaemon
import XCTest

/// `sns-produce` run in process: options, what is published (on the in-memory broker), the lines
/// written and the exit status.
final class SNSProduceCommandTests: XCTestCase {
    private var harness = CommandHarness()
    private var topicArn = ""
    private var queueURL = ""

    override func setUp() async throws {
        harness = CommandHarness()
        (topicArn, queueURL) = try await harness.subscribedQueue("events")
    }

    private func produce(_ arguments: [String]) async -> CommandResult {
        await harness.produce(["--topic-arn", topicArn, "--endpoint-url", "memory://"] + arguments)
    }

    /// The messages published to the topic, parsed.
    private func published() async throws -> [(id: String, message: JSONObject, mediaTypeAttribute: String?)] {
        try await harness.broker.publications(to: topicArn).map { publication in
            (publication.messageId, try XCTUnwrap(JSONParser.parse(publication.message).objectValue),
             publication.messageAttributes["media_type"]?.stringValue)
        }
    }

    // MARK: Help and usage errors

    func testHelp_listsEveryOption_onStandardOutput_andExitsZero() async {
        let result = await harness.produce(["--help"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.standardError, "")
        for option in ["--topic-arn ARN", "--media-type TYPE", "--uri URI", "--message TEXT", "--count N", "--endpoint-url URL",
                       "--region REGION", "--profile PROFILE", "--help", "PUBSUB__SETTINGS", SimpleMessage.mediaType.rawValue] {
            XCTAssertTrue(result.standardOutput.contains(option), "help lacks \(option):\n\(result.standardOutput)")
        }
        XCTAssertTrue(result.outputLines.first?.hasPrefix("usage: sns-produce --topic-arn ARN") ?? false)
    }

    func testHelp_winsOverMissingRequiredOptions() async {
        let result = await harness.produce(["--count", "3", "-h"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.standardOutput.hasPrefix("usage: sns-produce"))
    }

    func testUsageErrors_exit64_withOneLineNamingTheOption() async throws {
        let arn = ["--topic-arn", topicArn]
        let cases: [([String], String)] = [
            ([], "sns-produce: --topic-arn is required (see --help)"),
            (["--count", "2"], "sns-produce: --topic-arn is required (see --help)"),
            (["--topic-arn"], "sns-produce: --topic-arn needs a value (ARN) (see --help)"),
            (["--topic-arn", ""], "sns-produce: --topic-arn needs an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:events, got '' (see --help)"),
            (arn + ["--topic-arn", "arn"], "sns-produce: --topic-arn is given twice (see --help)"),
            (arn + ["--count", "x"], "sns-produce: --count needs a whole number from 1 to 10000, got 'x' (see --help)"),
            (arn + ["--count", "0"], "sns-produce: --count needs a whole number from 1 to 10000, got '0' (see --help)"),
            (arn + ["--count=10001"], "sns-produce: --count needs a whole number from 1 to 10000, got '10001' (see --help)"),
            (arn + ["--bogus"], "sns-produce: unknown option '--bogus' (see --help)"),
            (arn + ["stray"], "sns-produce: unexpected argument 'stray' (see --help)"),
            (arn + ["--media-type"], "sns-produce: --media-type needs a value (TYPE) (see --help)"),
            (arn + ["--media-type", ""], "sns-produce: --media-type needs a media type or a resource name, got '' (see --help)"),
            (arn + ["--uri", "http://things/1"],
             "sns-produce: --uri needs --media-type (the default SimpleMessage has no uri field) (see --help)"),
            (arn + ["--media-type", "Thing", "--message", "[1]"],
             "sns-produce: --message needs a JSON object of fields with --media-type, got array [1] (see --help)"),
        ]
        for (arguments, line) in cases {
            let result = await harness.produce(arguments + ["--endpoint-url", "memory://"])
            XCTAssertEqual(result.status, 64, "\(arguments): \(result)")
            XCTAssertEqual(result.errorLines, [line], "\(arguments)")
            XCTAssertEqual(result.standardOutput, "", "\(arguments)")
        }
        let notJSON = await produce(["--media-type", "Thing", "--message", "hello"])
        XCTAssertEqual(notJSON.status, 64)
        XCTAssertEqual(notJSON.errorLines.count, 1)
        XCTAssertTrue(notJSON.standardError.hasPrefix("sns-produce: --message needs a JSON object of fields with --media-type: invalid JSON"),
                      notJSON.standardError)
        let published = try await published()
        XCTAssertTrue(published.isEmpty)
    }

    func testContentThatFailsItsSchema_isAUsageErrorNamingTheField_andNothingIsPublished() async throws {
        let result = await produce(["--media-type", "Thing", "--count", "2"])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertEqual(result.errorLines, [
            "sns-produce: invalid message of media type 'application/vnd.globality.pubsub._.created.thing': field 'uri' is missing "
                + "(expected string) (give the fields with --message or --uri) (see --help)",
        ])
        XCTAssertEqual(result.standardOutput, "")
        let published = try await published()
        XCTAssertTrue(published.isEmpty)
    }

    // MARK: Producing

    func testWithoutMediaType_publishesSimpleMessages_andPrintsOneIdPerLine() async throws {
        let result = await produce(["--count", "3", "--message", "hi there"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.standardError, "")
        let published = try await published()
        XCTAssertEqual(result.outputLines, published.map(\.id))
        XCTAssertEqual(Set(result.outputLines).count, 3)
        for (_, message, attribute) in published {
            XCTAssertEqual(message["mediaType"], "application/vnd.globality.pubsub._.created.simple_message")
            XCTAssertEqual(attribute, "application/vnd.globality.pubsub._.created.simple_message")
            XCTAssertEqual(message["message"], "hi there")
            XCTAssertEqual(message["timestamp"]?.doubleValue, 1_700_000_000.25)
            XCTAssertNotNil(message["opaqueData"]?["x-request-published"]?.stringValue)
        }
    }

    func testWithoutMessage_sendsTheDefaultText_once() async throws {
        let result = await produce([])
        XCTAssertEqual(result.status, 0, "\(result)")
        let published = try await published()
        XCTAssertEqual(result.outputLines, published.map(\.id))
        XCTAssertEqual(published.map { $0.message["message"] }, ["hello from sns-produce"])
    }

    func testResourceName_isItsCreatedMediaType_withTheURI() async throws {
        let result = await produce(["--media-type", "FooBar", "--uri", "http://foo_bars/1"])
        XCTAssertEqual(result.status, 0, "\(result)")
        let published = try await published()
        XCTAssertEqual(result.outputLines, published.map(\.id))
        XCTAssertEqual(published.first?.message["mediaType"], "application/vnd.globality.pubsub._.created.foo_bar")
        XCTAssertEqual(published.first?.mediaTypeAttribute, "application/vnd.globality.pubsub._.created.foo_bar")
        XCTAssertEqual(published.first?.message["uri"], "http://foo_bars/1")
    }

    func testMediaTypeWithJSONMessage_suppliesTheFields_andURIWinsOverTheMessagesURI() async throws {
        let mediaType = "application/vnd.globality.pubsub._.changed.order"
        let result = await produce(["--media-type", mediaType, "--uri", "http://orders/1",
                                    "--message", #"{"field_name": "state", "new_value": "shipped", "uri": "http://orders/2"}"#])
        XCTAssertEqual(result.status, 0, "\(result)")
        let published = try await published()
        let message = try XCTUnwrap(published.first?.message)
        XCTAssertEqual(message["mediaType"], .string(mediaType))
        XCTAssertEqual(message["uri"], "http://orders/1")
        XCTAssertEqual(message["field_name"], "state")
        XCTAssertEqual(message["new_value"], "shipped")
    }

    func testUnconventionalMediaType_sendsTheFieldsAsGiven() async throws {
        let result = await produce(["--media-type", "application/vnd.acme.thing", "--message", #"{"size": 3, "tags": ["a"]}"#])
        XCTAssertEqual(result.status, 0, "\(result)")
        let published = try await published()
        let message = try XCTUnwrap(published.first?.message)
        XCTAssertEqual(message["mediaType"], "application/vnd.acme.thing")
        XCTAssertEqual(message["size"], 3)
        XCTAssertEqual(message["tags"], ["a"])
    }

    // MARK: Configuration and failures

    func testEnvironmentVariables_configureTheGraph_underTheFlags() async throws {
        harness.environment = ["PUBSUB__SNS_PRODUCER__ENDPOINT_URL": "memory://"]
        let fromEnvironment = await harness.produce(["--topic-arn", topicArn])
        XCTAssertEqual(fromEnvironment.status, 0, "\(fromEnvironment)")
        XCTAssertEqual(fromEnvironment.outputLines.count, 1)

        // The flag's topic wins over one the environment maps the media type to.
        harness.environment["PUBSUB__SNS_TOPIC_ARNS__CREATED__SIMPLE_MESSAGE"] = harness.broker.topicArn(named: "elsewhere")
        let overridden = await harness.produce(["--topic-arn", topicArn])
        XCTAssertEqual(overridden.status, 0, "\(overridden)")
        let published = try await published()
        XCTAssertEqual(published.map(\.id), fromEnvironment.outputLines + overridden.outputLines)
    }

    func testSkip_publishesNothing_andSaysSoOnStandardError() async throws {
        harness.environment = ["PUBSUB__SNS_PRODUCER__SKIP": "true"]
        let result = await produce(["--count", "2"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.errorLines, ["sns-produce: sns_producer.skip is set, so nothing was published"])
        let published = try await published()
        XCTAssertTrue(published.isEmpty)
    }

    func testMissingTopic_exits1_withTheAWSCodeAndTheTopic() async {
        let missing = harness.broker.topicArn(named: "missing")
        let result = await harness.produce(["--topic-arn", missing, "--endpoint-url", "memory://"])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.errorLines, [
            "sns-produce: AWS error NotFound: Topic does not exist: \(missing) (SNS Publish, topic '\(missing)')",
        ])
    }

    /// Configuration errors are found before any request: exit 64 (was 1, like AWS errors), naming
    /// the key and the variable that set it.
    func testConfigurationErrors_exit64_namingTheKeyAndTheVariable() async {
        let cases: [([String: String], String)] = [
            (["PUBSUB__SETTINGS": "/nonexistent/pubsub.json"], "sns-produce: PUBSUB__SETTINGS names '/nonexistent/pubsub.json', which does not exist"),
            (["PUBSUB__SNS_PRODUCER__READ_TIMEOUT": "soon"],
             #"sns-produce: config 'sns_producer.read_timeout' (from PUBSUB__SNS_PRODUCER__READ_TIMEOUT): expected a whole number from 1 to 86400, "#
                + #"got string "soon""#),
            (["PUBSUB__SNS_PRODUCER__READ_TIMEOUT": "soon", "PUBSUB__SNS_PRODUCER__CONNECT_TIMEOUT": "later"],
             "sns-produce: 2 configuration problems: config 'sns_producer.connect_timeout' (from PUBSUB__SNS_PRODUCER__CONNECT_TIMEOUT): "
                + "expected a whole number from 1 to 86400, got string \"later\"; config 'sns_producer.read_timeout' "
                + "(from PUBSUB__SNS_PRODUCER__READ_TIMEOUT): expected a whole number from 1 to 86400, got string \"soon\""),
        ]
        for (environment, line) in cases {
            harness.environment = environment
            let result = await produce([])
            XCTAssertEqual(result.status, 64, "\(environment): \(result)")
            XCTAssertEqual(result.errorLines, [line], "\(environment)")
            XCTAssertEqual(result.standardOutput, "")
        }
    }
}
