import XCTest

/// The built `sns-produce` and `sqs-consume` run as child processes: exit status, standard output
/// and standard error for help, usage errors, and failures that need no AWS (the in-memory broker
/// at `memory://`, configuration). The moto round trip is in ``CLIIntegrationTests``.
final class CLIBinaryTests: XCTestCase {
    func testHelp_exitsZero_withTheFullOptionListOnStandardOutput() async throws {
        let produce = try await BuiltCommand.snsProduce.run(["--help"])
        XCTAssertEqual(produce.status, 0, "\(produce)")
        XCTAssertEqual(produce.standardError, "")
        XCTAssertTrue(produce.standardOutput.hasPrefix("usage: sns-produce --topic-arn ARN [--media-type TYPE] [--uri URI] "
                                                       + "[--message TEXT] [--count N] [--endpoint-url URL] [--region REGION] "
                                                       + "[--profile PROFILE]\n"), produce.standardOutput)
        XCTAssertTrue(produce.standardOutput.hasSuffix("with one line on standard error.\n"))

        let consume = try await BuiltCommand.sqsConsume.run(["-h"])
        XCTAssertEqual(consume.status, 0, "\(consume)")
        XCTAssertEqual(consume.standardError, "")
        XCTAssertTrue(consume.standardOutput.hasPrefix("usage: sqs-consume --queue-url URL [--nack] [--nack-timeout S] [--limit N] "
                                                       + "[--wait-seconds S] [--envelope NAME] [--endpoint-url URL] [--region REGION] "
                                                       + "[--profile PROFILE]\n"), consume.standardOutput)
        for option in ["--queue-url URL", "--nack ", "--nack-timeout S", "--limit N", "--wait-seconds S", "--envelope NAME",
                       "--endpoint-url URL", "--region REGION", "--profile PROFILE", "--help"] {
            XCTAssertTrue(consume.standardOutput.contains("\n  \(option)"), "help lacks \(option)")
        }
    }

    func testUsageErrors_exit64_withExactlyOneLineOnStandardError() async throws {
        let cases: [(BuiltCommand, [String], String)] = [
            (.snsProduce, [], "sns-produce: --topic-arn is required (see --help)"),
            (.snsProduce, ["--topic-arn", "arn:aws:sns:us-east-1:123456789012:events", "--count", "many"],
             "sns-produce: --count needs a whole number from 1 to 10000, got 'many' (see --help)"),
            (.snsProduce, ["--topic-arn", "arn:aws:sns:us-east-1:123456789012:events", "--colour", "red"],
             "sns-produce: unknown option '--colour' (see --help)"),
            (.sqsConsume, ["--nack"], "sqs-consume: --queue-url is required (see --help)"),
            (.sqsConsume, ["--queue-url", "http://q", "--limit", "11"],
             "sqs-consume: --limit needs a whole number from 1 to 10, got '11' (see --help)"),
            (.sqsConsume, ["--queue-url", "http://q", "--ack"], "sqs-consume: unknown option '--ack' (see --help)"),
        ]
        for (command, arguments, line) in cases {
            let result = try await command.run(arguments)
            XCTAssertEqual(result.status, 64, "\(command.name) \(arguments): \(result)")
            XCTAssertEqual(result.standardError, line + "\n", "\(command.name) \(arguments)")
            XCTAssertEqual(result.standardOutput, "", "\(command.name) \(arguments)")
        }
    }

    func testAWSError_exits1_withTheCodeMessageAndTopic() async throws {
        let topicArn = "arn:aws:sns:us-east-1:123456789012:missing"
        let result = try await BuiltCommand.snsProduce.run(["--topic-arn", topicArn, "--endpoint-url", "memory://", "--count", "2"])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError,
                       "sns-produce: AWS error NotFound: Topic does not exist: \(topicArn) (SNS Publish, topic '\(topicArn)')\n")
    }

    func testConfigurationErrors_exit1_namingTheVariableOrTheKey() async throws {
        let settings = try await BuiltCommand.sqsConsume.run(
            ["--queue-url", "memory://sqs.us-east-1/123456789012/events", "--endpoint-url", "memory://"],
            environment: BuiltCommand.environment(["PUBSUB__SETTINGS": "/nonexistent/pubsub.json"]))
        XCTAssertEqual(settings.status, 1, "\(settings)")
        XCTAssertEqual(settings.standardError, "sqs-consume: PUBSUB__SETTINGS names '/nonexistent/pubsub.json', which does not exist\n")
        XCTAssertEqual(settings.standardOutput, "")

        let noRegion = try await BuiltCommand.snsProduce.run(
            ["--topic-arn", "arn:aws:sns:us-east-1:123456789012:events"],
            environment: BuiltCommand.environment(["AWS_REGION": nil, "AWS_DEFAULT_REGION": nil, "AWS_PROFILE": nil,
                                                   "AWS_CONFIG_FILE": "/nonexistent/config",
                                                   "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials"]))
        XCTAssertEqual(noRegion.status, 1, "\(noRegion)")
        XCTAssertEqual(noRegion.standardError, "sns-produce: no AWS region: set config 'sns_producer.region_name', AWS_REGION, "
                           + "AWS_DEFAULT_REGION or 'region' in profile 'default' (/nonexistent/config)\n")
        XCTAssertEqual(noRegion.standardOutput, "")
    }
}
