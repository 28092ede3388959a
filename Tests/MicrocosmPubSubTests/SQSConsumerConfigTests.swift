import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The `sqs_consumer` binding: Python's keys and defaults, and errors that name the key.
final class SQSConsumerConfigTests: XCTestCase {
    private let queueURL = "memory://sqs.us-east-1/123456789012/q"

    private func graph(_ consumer: JSONObject = [:], environment: [String: String] = [:], testing: Bool = true) throws -> Graph {
        try Graph(name: "things", testing: testing, registry: .pubsub, loader: .standard(environment: environment),
                  config: consumer.isEmpty ? [:] : ["sqs_consumer": .object(consumer)])
    }

    func testDefaults_areMicrocosmPubSubsKeysAndValues() throws {
        let section = try graph().config.section("sqs_consumer")
        XCTAssertEqual(Set(section.values.keys), [
            "sqs_queue_url", "sqs_event", "endpoint_url", "profile_name", "region_name", "backoff_policy", "limit", "wait_seconds",
            "visibility_timeout_seconds", "message_retry_visibility_timeout_seconds", "read_timeout", "sts_timeout",
        ])
        XCTAssertEqual(section.values["read_timeout"], 60.0)
        XCTAssertEqual(section.values["sts_timeout"], 10.0)
        XCTAssertEqual(section.values["backoff_policy"], "NaiveBackoffPolicy")
        XCTAssertEqual(section.values["limit"], 10)
        XCTAssertEqual(section.values["wait_seconds"], 1)
        XCTAssertEqual(section.values["message_retry_visibility_timeout_seconds"], 5)
        for key in ["sqs_queue_url", "sqs_event", "endpoint_url", "profile_name", "region_name", "visibility_timeout_seconds"] {
            XCTAssertEqual(section.values[key], .null, key)
        }
    }

    func testConsumer_readsItsSettings() throws {
        let consumer = try graph(["sqs_queue_url": "memory://sqs.us-east-1/123456789012/q", "limit": 4, "wait_seconds": 20,
                                  "visibility_timeout_seconds": 90, "backoff_policy": "ExponentialBackoffBaseJitterPolicy"]).sqsConsumer
        XCTAssertEqual(consumer.queueURL, "memory://sqs.us-east-1/123456789012/q")
        XCTAssertEqual(consumer.limit, 4)
        XCTAssertEqual(consumer.waitSeconds, 20)
        XCTAssertEqual(consumer.visibilityTimeout, 90)
        XCTAssertEqual(consumer.backoffPolicy.name, "ExponentialBackoffBaseJitterPolicy")
        XCTAssertEqual(consumer.envelope.strategy, .codec)
        XCTAssertTrue(consumer.source.acknowledges)
    }

    func testConsumer_isConfiguredFromTheEnvironmentLikeThePythonService() throws {
        let consumer = try graph(environment: [
            "THINGS__SQS_CONSUMER__SQS_QUEUE_URL": "memory://sqs.us-east-1/123456789012/q",
            "THINGS__SQS_CONSUMER__LIMIT": "7",
            "THINGS__SQS_CONSUMER__BACKOFF_POLICY": "ExponentialBackoffPolicy",
            "THINGS__SQS_CONSUMER__MESSAGE_RETRY_VISIBILITY_TIMEOUT_SECONDS": "11",
        ]).sqsConsumer
        XCTAssertEqual(consumer.limit, 7)
        XCTAssertEqual(consumer.queueURL, "memory://sqs.us-east-1/123456789012/q")
        XCTAssertEqual(consumer.backoffPolicy.name, "ExponentialBackoffPolicy")
    }

    func testRetryTimeout_reachesTheNaivePolicy() throws {
        let consumer = try graph(["sqs_queue_url": .string(queueURL), "message_retry_visibility_timeout_seconds": 11]).sqsConsumer
        XCTAssertEqual(consumer.backoffPolicy.visibilityTimeout(receiveCount: 1, requested: nil), 11)
    }

    func testGraph_buildsTheConsumerOnce() throws {
        let graph = try graph(["sqs_queue_url": .string(queueURL)])
        XCTAssertTrue(try graph.sqsConsumer === graph.sqsConsumer)
    }

    func testQueueSource_usesTheGraphsSQSClient() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let messages = try await bed.consumer.consume()
        XCTAssertEqual(messages.count, 1, "the testing graph's consumer reads the in-memory broker")
    }

    func testQueueSource_realEndpoint_usesAnSQSClient() throws {
        let graph = try graph(["sqs_queue_url": "http://127.0.0.1:9/123456789012/q", "endpoint_url": "http://127.0.0.1:9",
                               "region_name": "eu-west-1"], testing: false)
        XCTAssertEqual(try graph.sqsConsumer.queueURL, "http://127.0.0.1:9/123456789012/q")
        XCTAssertTrue(try graph.sqsClient is SQSClient)
    }

    func testUnknownBackoffPolicy_failsNamingTheKeyAndTheAcceptedNames() throws {
        XCTAssertThrowsError(try graph(["sqs_queue_url": .string(queueURL), "backoff_policy": "LinearBackoffPolicy"]).sqsConsumer) { error in
            XCTAssertTrue("\(error)".contains("config 'sqs_consumer.backoff_policy': unknown backoff policy 'LinearBackoffPolicy'; "
                                                + "accepted: NaiveBackoffPolicy, ExponentialBackoffPolicy, ExponentialBackoffBaseJitterPolicy"),
                          "\(error)")
        }
    }

    func testUnknownEnvelope_failsTheConsumerNamingTheKey() throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty,
                              config: ["sqs_consumer": ["sqs_queue_url": .string(queueURL)], "sqs_envelope": ["strategy_name": "JSONEnvelope"]])
        XCTAssertThrowsError(try graph.sqsConsumer) { error in
            XCTAssertTrue("\(error)".contains("sqs_envelope.strategy_name"), "\(error)")
            XCTAssertTrue("\(error)".contains("CodecSQSEnvelope, RawSQSEnvelope, NaiveSQSEnvelope, LambdaSQSEnvelope"), "\(error)")
        }
    }

    func testLimitAboveTen_forAQueue_failsNamingTheKey() throws {
        XCTAssertThrowsError(try graph(["sqs_queue_url": .string(queueURL), "limit": 25]).sqsConsumer) { error in
            XCTAssertTrue("\(error)".contains("config 'sqs_consumer.limit' (from explicit config): expected 1...10 (SQS returns at most 10 "
                                                   + "messages per receive), got 25"),
                          "\(error)")
        }
    }

    func testWaitSecondsAboveTwenty_failsNamingTheKey() throws {
        XCTAssertThrowsError(try graph(["sqs_queue_url": .string(queueURL), "wait_seconds": 21]).sqsConsumer) { error in
            XCTAssertTrue("\(error)".contains("config 'sqs_consumer.wait_seconds'"), "\(error)")
        }
    }

    func testVisibilityTimeoutAboveTwelveHours_failsNamingTheKey() throws {
        XCTAssertThrowsError(try graph(["sqs_queue_url": .string(queueURL), "visibility_timeout_seconds": 43_201]).sqsConsumer) { error in
            XCTAssertTrue("\(error)".contains("config 'sqs_consumer.visibility_timeout_seconds'"), "\(error)")
        }
    }

    func testLimitThatIsNotANumber_failsWhenTheGraphIsMade() {
        XCTAssertThrowsError(try graph(["limit": "ten"])) { error in
            XCTAssertTrue("\(error)".contains("sqs_consumer.limit"), "\(error)")
        }
    }

    func testNoQueueURL_consumerIsMade_butConsumingThrowsNamingTheKey() async throws {
        let consumer = try graph().sqsConsumer
        XCTAssertNil(consumer.queueURL)
        do {
            _ = try await consumer.consume()
            XCTFail("expected an error")
        } catch let error as SQSConsumerError {
            XCTAssertEqual(error.code, .noQueueURL)
            XCTAssertEqual(error.key, "sqs_consumer.sqs_queue_url")
            XCTAssertTrue(error.description.hasPrefix("config 'sqs_consumer.sqs_queue_url' is not set"), error.description)
        }
    }

    // MARK: Checked values

    func testTimeoutsThatAreNotFinitePositiveSeconds_failWhenTheGraphIsMade_namingTheVariable() {
        for key in ["read_timeout", "sts_timeout"] {
            for value in ["nan", "inf", "1e300", "0", "-5"] {
                let variable = "THINGS__SQS_CONSUMER__" + key.uppercased()
                XCTAssertThrowsError(try graph(environment: [variable: value]), "\(key) \(value)") { error in
                    XCTAssertEqual("\(error)", "config 'sqs_consumer.\(key)' (from \(variable)): expected seconds from 0.001 to 86400, "
                                       + "got string \"\(value)\"")
                }
            }
        }
    }

    func testReadTimeout_reachesTheRealClient() throws {
        let graph = try graph(environment: ["THINGS__SQS_CONSUMER__READ_TIMEOUT": "2.5", "THINGS__SQS_CONSUMER__ENDPOINT_URL": "http://127.0.0.1:1",
                                            "THINGS__SQS_CONSUMER__REGION_NAME": "us-east-1"], testing: false)
        let client = try XCTUnwrap(try graph.sqsClient as? SQSClient)
        XCTAssertEqual(client.client.readTimeout, .milliseconds(2500))
    }

    func testSectionThatIsNotAnObject_isReportedAsSuch() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString).json")
        try Data(#"{"sqs_consumer": "not an object"}"#.utf8).write(to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertThrowsError(try graph(environment: ["THINGS__SETTINGS": directory.path])) { error in
            XCTAssertEqual("\(error)", "config 'sqs_consumer' (from settings file '\(directory.path)' (THINGS__SETTINGS)): "
                               + #"expected object, got string "not an object""#)
        }
    }

    /// Every key the library's bindings read has a declared type: a value of the wrong type is
    /// reported for each one when the graph is made, naming the variable that set it.
    func testEveryKeyTheBindingsRead_isDeclaredWithAType() throws {
        let keys = [
            "sqs_consumer": ["sqs_queue_url", "endpoint_url", "profile_name", "region_name", "backoff_policy", "limit", "wait_seconds",
                             "visibility_timeout_seconds", "message_retry_visibility_timeout_seconds", "read_timeout", "sts_timeout"],
            "sns_producer": ["profile_name", "region_name", "endpoint_url", "skip", "deferred_batch_size", "connect_timeout", "read_timeout",
                             "sts_timeout"],
            "sns_topic_arns": ["default"],
            "sqs_envelope": ["strategy_name", "validate_md5"],
            "sqs_message_context": ["enable_ttl", "initial_ttl"],
            "sqs_message_dispatcher": ["message_max_processing_attempts"],
            "pubsub_message_schema_registry": ["auto_register"],
            "consumer_daemon": ["concurrency", "grace_period_seconds", "heartbeat_seconds", "error_backoff_seconds",
                                "max_error_backoff_seconds", "acknowledgement_attempts"],
            "sleep_policy": ["default_sleep_timeout"],
            "logging": ["level", "format"],
        ]
        // JSON-valued variables: an array is of no scalar type.
        var environment: [String: String] = [:]
        for (section, names) in keys {
            for name in names { environment["THINGS__\(section.uppercased())__\(name.uppercased())"] = "[1]" }
        }
        XCTAssertThrowsError(try Graph(name: "things", registry: .pubsub, loader: .environmentJSON(environment))) { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            XCTAssertEqual(Set(problems.map(\.keyPath.description)),
                           Set(keys.flatMap { section, names in names.map { "\(section).\($0)" } }))
            for problem in problems {
                XCTAssertEqual(problem.origin, .environmentVariable("THINGS__" + problem.keyPath.components.map { $0.uppercased() }
                                   .joined(separator: "__")), problem.description)
            }
        }
    }
}
