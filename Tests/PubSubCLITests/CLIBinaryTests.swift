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

    /// Configuration problems are found before any request: exit 64 (they exited 1 before, like
    /// AWS errors), one line naming the variable, key or file.
    func testConfigurationErrors_exit64_namingTheVariableOrTheKey() async throws {
        let settings = try await BuiltCommand.sqsConsume.run(
            ["--queue-url", "memory://sqs.us-east-1/123456789012/events", "--endpoint-url", "memory://"],
            environment: BuiltCommand.environment(["PUBSUB__SETTINGS": "/nonexistent/pubsub.json"]))
        XCTAssertEqual(settings.status, 64, "\(settings)")
        XCTAssertEqual(settings.standardError, "sqs-consume: PUBSUB__SETTINGS names '/nonexistent/pubsub.json', which does not exist\n")
        XCTAssertEqual(settings.standardOutput, "")

        let noRegion = try await BuiltCommand.snsProduce.run(
            ["--topic-arn", "arn:aws:sns:us-east-1:123456789012:events"],
            environment: BuiltCommand.environment(["AWS_REGION": nil, "AWS_DEFAULT_REGION": nil, "AWS_PROFILE": nil,
                                                   "AWS_CONFIG_FILE": "/nonexistent/config",
                                                   "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials"]))
        XCTAssertEqual(noRegion.status, 64, "\(noRegion)")
        XCTAssertEqual(noRegion.standardError, "sns-produce: no AWS region: set config 'sns_producer.region_name', AWS_REGION, "
                           + "AWS_DEFAULT_REGION or 'region' in profile 'default' (/nonexistent/config)\n")
        XCTAssertEqual(noRegion.standardOutput, "")
    }

    /// The README's exit status table, row by row, run as a user runs the commands: 64 for what is
    /// wrong before any I/O, 1 for what goes wrong after; one line on standard error, no backtrace.
    func testExitStatusTable_usageAndConfigurationErrorsExit64_runtimeErrorsExit1() async throws {
        let topic = "arn:aws:sns:us-east-1:123456789012:events"
        let queue = "http://127.0.0.1:1/123456789012/events"
        let offline = ["AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_EC2_METADATA_DISABLED": "true"]
        let cases: [(BuiltCommand, [String], [String: String], Int32, String)] = [
            (.snsProduce, ["--topic-arn", "not-an-arn"], [:], 64,
             "sns-produce: --topic-arn needs an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:events, got 'not-an-arn' (see --help)"),
            (.snsProduce, ["--topic-arn", ""], [:], 64,
             "sns-produce: --topic-arn needs an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:events, got '' (see --help)"),
            (.snsProduce, ["--topic-arn", topic, "--region", "us east"], [:], 64,
             "sns-produce: --region needs an AWS region name like us-east-1 (letters, digits and '-'), got 'us east' (see --help)"),
            (.snsProduce, ["--topic-arn", topic, "--endpoint-url", "localhost:4566"], [:], 64,
             "sns-produce: --endpoint-url needs an http:// or https:// URL, or memory://, got 'localhost:4566': "
                + "no scheme (use http:// or https://) (see --help)"),
            (.snsProduce, ["--topic-arn", topic, "--endpoint-url", "http://127.0.0.1:1"], offline.merging(["AWS_REGION": "us east"]) { $1 }, 64,
             "sns-produce: AWS_REGION is not a usable AWS region: 'us east' is not a valid region name (letters, digits and '-', like 'us-east-1')"),
            (.snsProduce, ["--topic-arn", topic, "--endpoint-url", "http://127.0.0.1:1"],
             offline.merging(["PUBSUB__SNS_PRODUCER__READ_TIMEOUT": "0"]) { $1 }, 64,
             #"sns-produce: config 'sns_producer.read_timeout' (from PUBSUB__SNS_PRODUCER__READ_TIMEOUT): "#
                + #"expected a whole number from 1 to 86400, got string "0""#),
            (.sqsConsume, ["--queue-url", "not a url"], [:], 64,
             "sqs-consume: --queue-url: no file 'not a url' (a file of JSON lines to replay must exist; a queue URL starts with https://) (see --help)"),
            (.sqsConsume, ["--queue-url", "/nonexistent/replay.jsonl"], [:], 64,
             "sqs-consume: --queue-url: no file '/nonexistent/replay.jsonl' (a file of JSON lines to replay must exist; "
                + "a queue URL starts with https://) (see --help)"),
            (.sqsConsume, ["--queue-url", queue, "--region", "us-east-1"],
             offline.merging(["PUBSUB__SQS_CONSUMER__READ_TIMEOUT": "nan"]) { $1 }, 64,
             #"sqs-consume: config 'sqs_consumer.read_timeout' (from PUBSUB__SQS_CONSUMER__READ_TIMEOUT): "#
                + #"expected seconds from 0.001 to 86400, got string "nan""#),
            (.sqsConsume, ["--queue-url", queue, "--endpoint-url", "http://127.0.0.1:1", "--wait-seconds", "0"], offline, 1, "sqs-consume: connection failed for http://127.0.0.1:1/: "),
            (.pubsub, ["demo", "--region", "us east"], [:], 64,
             "pubsub demo: --region needs an AWS region name like us-east-1 (letters, digits and '-'), got 'us east' (see --help)"),
            (.pubsub, ["demo", "--endpoint-url", "http://bad host"], [:], 64,
             "pubsub demo: --endpoint-url needs an http:// or https:// URL, or memory://, got 'http://bad host' (see --help)"),
            (.pubsub, ["dmeo"], [:], 64, "pubsub: unknown command 'dmeo'; the commands are produce, consume, demo, dlq (see --help)"),
        ]
        for (command, arguments, environment, status, line) in cases {
            let result = try await command.run(arguments, environment: BuiltCommand.environment(environment.mapValues { $0 }))
            XCTAssertEqual(result.status, status, "\(command.name) \(arguments): \(result)")
            XCTAssertEqual(result.errorLines.count, 1, "\(command.name) \(arguments): \(result)")
            XCTAssertTrue(result.standardError.hasPrefix(line), "\(command.name) \(arguments): \(result.standardError)")
            XCTAssertEqual(result.standardOutput, "", "\(command.name) \(arguments)")
        }
    }
}
