import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import Synchronization
import XCTest

/// `topology plan` / `apply` on the in-memory broker, shared with the test through `prepareGraph`.
final class TopologyCommandTests: XCTestCase {
    private static let topicArn = "arn:aws:sns:us-east-1:123456789012:orders-events"
    private static let otherTopicArn = "arn:aws:sns:us-east-1:123456789012:invoices"
    private static let created = MediaType.created("Order")
    private static let deleted = MediaType.deleted("Order")

    private var broker: InMemoryBroker!

    override func setUp() {
        broker = InMemoryBroker()
    }

    private struct Result {
        var status: Int32
        var output: [String]
        var errors: [String]
    }

    /// Runs `orders-daemon topology <arguments>` for a service handling `mediaTypes` whose
    /// configuration is `environment` over a queue URL, memory:// endpoints and a default topic.
    private func run(_ arguments: [String], handling mediaTypes: [MediaType] = [created, deleted],
                     environment: [String: String] = [:]) async -> Result {
        var base = [
            "ORDERS_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": broker.queueURL(named: "orders-daemon"),
            "ORDERS_DAEMON__SQS_CONSUMER__ENDPOINT_URL": "memory://",
            "ORDERS_DAEMON__SNS_PRODUCER__ENDPOINT_URL": "memory://",
            "ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": Self.topicArn,
        ]
        base.merge(environment) { $1 }
        let output = Mutex<[String]>([]), errors = Mutex<[String]>([])
        let broker = broker!
        let invocation = ServiceToolInvocation(
            command: "orders-daemon topology", arguments: arguments,
            daemon: DescribedService(name: "orders-daemon", mediaTypes: mediaTypes), environment: base,
            output: { text in output.withLock { $0 += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } },
            errorOutput: { line in errors.withLock { $0.append(line) } },
            prepareGraph: { graph in graph.assign(.pubsubBroker, broker) })
        let status = await ServiceTool.topology.main(invocation)
        return Result(status: status, output: output.withLock { $0 }, errors: errors.withLock { $0 })
    }

    private func subscriptionAttributes(of topicArn: String) async throws -> [String: String] {
        let subscriptions = try await broker.sns.listSubscriptionsByTopic(topicArn: topicArn)
        XCTAssertEqual(subscriptions.count, 1, "\(subscriptions)")
        return try await broker.sns.getSubscriptionAttributes(subscriptionArn: try XCTUnwrap(subscriptions.first).subscriptionArn)
    }

    func testPlan_onAnEmptyBroker_listsEverythingToCreate_changesNothing_andExitsTwo() async throws {
        let result = await run(["plan"])
        XCTAssertEqual(result.status, 2, "\(result)")
        XCTAssertEqual(result.errors, [])
        let filter = #"{"media_type":["application/vnd.globality.pubsub._.created.batch_message","# + #""application/vnd.globality.pubsub._.created.order","#
            + #""application/vnd.globality.pubsub._.deleted.order"]}"#
        XCTAssertEqual(result.output, [
            "create topic \(Self.topicArn)",
            "create dead-letter-queue orders-daemon-dlq (MessageRetentionPeriod 1209600)",
            "create queue orders-daemon",
            "create redrive-policy orders-daemon (orders-daemon-dlq, maxReceiveCount 10)",
            "create queue-policy orders-daemon (allow sns.amazonaws.com to send from orders-events)",
            "create subscription orders-events -> orders-daemon (FilterPolicy \(filter))",
        ])
        await assertNoQueue("orders-daemon")
        await assertNoQueue("orders-daemon-dlq")
        do {
            _ = try await broker.sns.getTopicAttributes(topicArn: Self.topicArn)
            XCTFail("plan created the topic")
        } catch let error as AWSError {
            XCTAssertTrue(error.code == "NotFound", "\(error)")
        }
    }

    private func assertNoQueue(_ name: String, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await broker.sqs.getQueueURL(queueName: name)
            XCTFail("queue \(name) exists", file: file, line: line)
        } catch let error as AWSError {
            XCTAssertTrue(error.code == "AWS.SimpleQueueService.NonExistentQueue", "\(error)", file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    func testApply_makesWhatThePlanListed_thenPlanFindsEverythingFine_andAHandledMessageArrivesWhileOthersAreFiltered() async throws {
        let applied = await run(["apply"])
        XCTAssertEqual(applied.status, 0, "\(applied)")
        XCTAssertEqual(applied.output.map { String($0.prefix(8)) },
                       ["created ", "created ", "created ", "created ", "created ", "created "], "\(applied.output)")
        let planned = await run(["plan"])
        XCTAssertEqual(planned.status, 0, "\(planned)")
        XCTAssertEqual(planned.output, [
            "fine   topic \(Self.topicArn)",
            "fine   dead-letter-queue orders-daemon-dlq",
            "fine   queue orders-daemon",
            "fine   redrive-policy orders-daemon",
            "fine   queue-policy orders-daemon",
            "fine   subscription orders-events -> orders-daemon",
        ])

        let queueURL = try await broker.sqs.getQueueURL(queueName: "orders-daemon")
        let attributes = try await broker.sqs.getQueueAttributes(queueURL: queueURL, names: ["RedrivePolicy", "Policy"])
        let redrive = try XCTUnwrap(JSONParser.parse(try XCTUnwrap(attributes["RedrivePolicy"])).objectValue)
        XCTAssertEqual(redrive["deadLetterTargetArn"]?.stringValue, broker.queueArn(named: "orders-daemon-dlq"))
        XCTAssertEqual(redrive["maxReceiveCount"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } }, 10)
        let policy = try XCTUnwrap(JSONParser.parse(try XCTUnwrap(attributes["Policy"])).objectValue)
        XCTAssertEqual(policy["Version"], "2012-10-17")
        let statement = try XCTUnwrap(policy["Statement"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(statement["Principal"], .object(["Service": "sns.amazonaws.com"]))
        XCTAssertEqual(statement["Action"], "sqs:SendMessage")
        XCTAssertEqual(statement["Resource"]?.stringValue, broker.queueArn(named: "orders-daemon"))
        XCTAssertEqual(statement["Condition"], .object(["ArnEquals": .object(["aws:SourceArn": .array([.string(Self.topicArn)])])]))

        for mediaType in [Self.created, MediaType.created("Invoice")] {
            _ = try await broker.sns.publish(PublishRequest(topicArn: Self.topicArn, message: #"{"mediaType": "\#(mediaType)"}"#,
                                                            messageAttributes: ["media_type": .string(mediaType.rawValue)]))
        }
        let received = try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10))
        XCTAssertEqual(received.count, 1, "the filter policy lets only handled media types through")
        XCTAssertTrue(received.first?.body.contains(Self.created.rawValue) ?? false)
    }

    func testApply_twice_theSecondChangesNothing() async {
        _ = await run(["apply"])
        let again = await run(["apply"])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(again.output.count, 6)
        XCTAssertTrue(again.output.allSatisfy { $0.hasPrefix("fine ") }, "\(again.output)")
    }

    func testRawEnvelope_subscriptionWithoutRawDelivery_isAChange_andApplySetsIt_withoutAFilter() async throws {
        _ = await run(["apply"])
        let planned = await run(["plan", "--envelope", "RawSQSEnvelope"])
        XCTAssertEqual(planned.status, 2)
        XCTAssertTrue(planned.output.contains(#"change subscription orders-events -> orders-daemon (RawMessageDelivery false -> true; "#
                                                  + #"FilterPolicy {"media_type":["application/vnd.globality.pubsub._.created.batch_message","#
                                                  + #""application/vnd.globality.pubsub._.created.order","#
                                                  + #""application/vnd.globality.pubsub._.deleted.order"]} -> none)"#), "\(planned.output)")
        XCTAssertTrue(planned.output.contains("note: no media_type filter policy: RawSQSEnvelope reads messages that need not carry a "
                                                  + "media_type attribute"), "\(planned.output)")
        let applied = await run(["apply", "--envelope", "RawSQSEnvelope"])
        XCTAssertEqual(applied.status, 0)
        let attributes = try await subscriptionAttributes(of: Self.topicArn)
        XCTAssertEqual(attributes["RawMessageDelivery"], "true")
        XCTAssertNil(attributes["FilterPolicy"])
        let again = await run(["plan", "--envelope", "RawSQSEnvelope"])
        XCTAssertEqual(again.status, 0, "\(again.output)")
    }

    func testCodecEnvelope_acceptsEitherDelivery_soARawSubscriptionIsFine() async throws {
        _ = await run(["apply", "--envelope", "RawSQSEnvelope"])
        let planned = await run(["plan", "--envelope", "CodecSQSEnvelope"])
        XCTAssertTrue(planned.output.contains { $0.hasPrefix("change subscription") && !$0.contains("RawMessageDelivery") },
                      "only the filter policy changes: \(planned.output)")
    }

    func testWildcardHandler_filtersByPrefix_andSubscribesToEveryTopicItsMediaTypesGoTo() async throws {
        let result = await run(["apply"], handling: [MediaType("application/vnd.globality.pubsub._.created.*")],
                               environment: ["ORDERS_DAEMON__SNS_TOPIC_ARNS__CREATED__INVOICE": Self.otherTopicArn])
        XCTAssertEqual(result.status, 0, "\(result)")
        for topicArn in [Self.topicArn, Self.otherTopicArn] {
            let attributes = try await subscriptionAttributes(of: topicArn)
            XCTAssertEqual(attributes["FilterPolicy"], #"{"media_type":[{"prefix":"application/vnd.globality.pubsub._.created."}]}"#)
        }
    }

    func testHandlerForEverything_meansNoFilter_andAnExistingFilterIsRemoved() async throws {
        _ = await run(["apply"])
        let planned = await run(["plan"], handling: [MediaType("*")])
        XCTAssertTrue(planned.output.contains("note: no media_type filter policy: a handler for * takes every media type"), "\(planned.output)")
        XCTAssertTrue(planned.output.contains { $0.hasPrefix("change subscription orders-events -> orders-daemon (FilterPolicy {") && $0.hasSuffix("-> none)") },
                      "\(planned.output)")
        _ = await run(["apply"], handling: [MediaType("*")])
        let attributes = try await subscriptionAttributes(of: Self.topicArn)
        XCTAssertNil(attributes["FilterPolicy"])
    }

    func testFilterPolicyOff_leavesFiltersAlone() async throws {
        _ = await run(["apply"])
        let planned = await run(["plan"], handling: [Self.created], environment: ["ORDERS_DAEMON__TOPOLOGY__FILTER_POLICY": "false"])
        XCTAssertEqual(planned.status, 0, "\(planned.output)")
    }

    func testChangedMaxReceiveCount_isAChangeOfTheRedrivePolicy() async throws {
        _ = await run(["apply"])
        let environment = ["ORDERS_DAEMON__TOPOLOGY__MAX_RECEIVE_COUNT": "3"]
        let planned = await run(["plan"], environment: environment)
        XCTAssertTrue(planned.output.contains("change redrive-policy orders-daemon (orders-daemon-dlq, maxReceiveCount 10 -> "
                                                  + "orders-daemon-dlq, maxReceiveCount 3)"), "\(planned.output)")
        _ = await run(["apply"], environment: environment)
        let queueURL = try await broker.sqs.getQueueURL(queueName: "orders-daemon")
        let redrive = try await broker.sqs.getQueueAttributes(queueURL: queueURL, names: ["RedrivePolicy"])["RedrivePolicy"]
        let count = try JSONParser.parse(try XCTUnwrap(redrive)).objectValue?["maxReceiveCount"]
        XCTAssertEqual(count.flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } }, 3)
    }

    func testQueuePolicy_keepsOtherStatements_andAddsTheMissingTopic() async throws {
        let other = #"{"Sid":"ops","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:*","#
            + #""Resource":"*"}"#
        let queueURL = try await broker.sqs.createQueue(name: "orders-daemon", attributes: [
            "Policy": #"{"Version":"2012-10-17","Statement":["# + other + "]}",
        ])
        let planned = await run(["plan"])
        XCTAssertTrue(planned.output.contains("fine   queue orders-daemon"), "\(planned.output)")
        XCTAssertTrue(planned.output.contains("change queue-policy orders-daemon (allow sns.amazonaws.com to send from orders-events)"),
                      "\(planned.output)")
        XCTAssertTrue(planned.output.contains("change redrive-policy orders-daemon (none -> orders-daemon-dlq, maxReceiveCount 10)"),
                      "\(planned.output)")
        _ = await run(["apply"])
        let policy = try await broker.sqs.getQueueAttributes(queueURL: queueURL, names: ["Policy"])["Policy"]
        let statements = try XCTUnwrap(JSONParser.parse(try XCTUnwrap(policy)).objectValue?["Statement"]?.arrayValue)
        XCTAssertEqual(statements.count, 2)
        XCTAssertEqual(statements.first, try JSONParser.parse(other))
        let again = await run(["plan"])
        XCTAssertEqual(again.status, 0, "\(again.output)")
    }

    func testApply_neverDeletes_aSubscriptionOfAnotherQueueStays() async throws {
        let topicArn = try await broker.sns.createTopic(name: "orders-events", attributes: [:])
        _ = try await broker.sqs.createQueue(name: "audit", attributes: [:])
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: "audit"), attributes: [:])
        _ = await run(["apply"])
        let endpoints = try await broker.sns.listSubscriptionsByTopic(topicArn: topicArn).map(\.endpoint)
        XCTAssertEqual(Set(endpoints), [broker.queueArn(named: "audit"), broker.queueArn(named: "orders-daemon")])
    }

    func testFIFOQueue_getsAFIFODeadLetterQueue_andIsSubscribedToFIFOTopicsOnly() async throws {
        let fifoTopic = "arn:aws:sns:us-east-1:123456789012:orders.fifo"
        let result = await run(["apply"], handling: [Self.created, Self.deleted], environment: [
            "ORDERS_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": broker.queueURL(named: "orders-daemon.fifo"),
            "ORDERS_DAEMON__SNS_TOPIC_ARNS__CREATED__ORDER": fifoTopic,
        ])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.output.contains("created dead-letter-queue orders-daemon-dlq.fifo (FifoQueue true, MessageRetentionPeriod 1209600)"),
                      "\(result.output)")
        XCTAssertTrue(result.output.contains("note: topic \(Self.topicArn) is standard and queue orders-daemon.fifo is FIFO: not subscribed"),
                      "\(result.output)")
        let fifoSubscriptions = try await broker.sns.listSubscriptionsByTopic(topicArn: fifoTopic)
        XCTAssertEqual(fifoSubscriptions.count, 1)
        let standardSubscriptions = try await broker.sns.listSubscriptionsByTopic(topicArn: Self.topicArn)
        XCTAssertEqual(standardSubscriptions.count, 0)
        let dlqURL = try await broker.sqs.getQueueURL(queueName: "orders-daemon-dlq.fifo")
        let dlqAttributes = try await broker.sqs.getQueueAttributes(queueURL: dlqURL, names: ["FifoQueue"])
        XCTAssertEqual(dlqAttributes["FifoQueue"], "true")
    }

    func testMediaTypeWithoutATopic_isANote() async {
        let result = await run(["plan"], environment: ["ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": ""])
        XCTAssertTrue(result.output.contains("note: media type \(Self.created) has no topic in sns_topic_arns: its messages must be sent "
                                                 + "to the queue directly"), "\(result.output)")
        XCTAssertFalse(result.output.contains { $0.contains("subscription") || $0.contains("queue-policy") }, "\(result.output)")
    }

    func testNoDeadLetterQueue_whenItsNameIsEmpty() async {
        let result = await run(["plan"], environment: ["ORDERS_DAEMON__TOPOLOGY__DEAD_LETTER_QUEUE_NAME": ""])
        XCTAssertFalse(result.output.contains { $0.contains("dead-letter-queue") || $0.contains("redrive-policy") }, "\(result.output)")
    }

    func testJSON_listsEveryResourceWithItsAction() async throws {
        _ = await run(["apply"])
        let result = await run(["plan", "--json"])
        XCTAssertEqual(result.status, 0)
        let object = try XCTUnwrap(JSONParser.parse(result.output.joined(separator: "\n")).objectValue)
        XCTAssertEqual(object["service"], "orders-daemon")
        XCTAssertEqual(object["queue_url"]?.stringValue, broker.queueURL(named: "orders-daemon"))
        XCTAssertEqual(object["applied"], false)
        XCTAssertEqual(object["differences"], 0)
        let changes = try XCTUnwrap(object["changes"]?.arrayValue)
        XCTAssertEqual(changes.count, 6)
        XCTAssertEqual(changes.first, .object(["action": "fine", "resource": "topic", "name": .string(Self.topicArn)]))
        XCTAssertEqual(object["notes"], .array([]))
    }

    func testUsageErrors_exit64_withOneLine() async {
        for arguments in [[], ["destroy"], ["plan", "--frobnicate"], ["plan", "--envelope", "Nope"], ["plan", "--region", "us east"]] {
            let result = await run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertEqual(result.errors.count, 1, "\(arguments): \(result.errors)")
            XCTAssertTrue(result.errors.first?.hasPrefix("orders-daemon topology: ") ?? false, "\(result.errors)")
            XCTAssertEqual(result.output, [])
        }
    }

    func testMissingQueueURL_isAConfigurationError_namingTheKey() async {
        let result = await run(["plan"], environment: ["ORDERS_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": ""])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertTrue(result.errors.first?.contains("sqs_consumer.sqs_queue_url") ?? false, "\(result.errors)")
    }

    func testAWSFailure_exitsOne_withOneLineNamingTheAction() async {
        broker.faults.fail(.getQueueURL, with: AWSError(code: "Throttling", message: "slow down", statusCode: 400, service: "SQS",
                                                          action: "GetQueueUrl"), times: 100)
        let result = await run(["plan"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertTrue(result.errors.first?.contains("Throttling") ?? false, "\(result.errors)")
    }

    func testApplyThatFails_showsWhatItDidBeforeTheFailure() async {
        broker.faults.fail(.subscribe, with: AWSError(code: "AuthorizationError", message: "not allowed", statusCode: 403, service: "SNS",
                                                        action: "Subscribe"), times: 1)
        let result = await run(["apply"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.output.count, 5, "everything before the subscription: \(result.output)")
        XCTAssertTrue(result.output.allSatisfy { $0.hasPrefix("created ") }, "\(result.output)")
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertTrue(result.errors.first?.contains("AuthorizationError") ?? false, "\(result.errors)")
        let again = await run(["apply"])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(again.output.filter { !$0.hasPrefix("fine ") }, ["created subscription orders-events -> orders-daemon (FilterPolicy "
                           + #"{"media_type":["application/vnd.globality.pubsub._.created.batch_message","#
                           + #""application/vnd.globality.pubsub._.created.order","application/vnd.globality.pubsub._.deleted.order"]})"#])
    }

    func testHelp_describesTheCommandsAndExitStatuses() async {
        let result = await run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output.first, "usage: orders-daemon topology plan|apply [--json] [--endpoint-url URL] [--region NAME] "
                           + "[--sqs-queue-url URL] [--envelope NAME]")
        XCTAssertTrue(result.output.contains { $0.hasPrefix("exit status: 0 nothing differs") }, "\(result.output)")
    }
}
