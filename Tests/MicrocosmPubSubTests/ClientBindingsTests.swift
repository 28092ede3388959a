import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

final class ClientBindingsTests: XCTestCase {
    func testTestingGraph_usesOneInMemoryBrokerForSNSAndSQS() async throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty)
        XCTAssertTrue(try graph.snsClient is InMemorySNS)
        XCTAssertTrue(try graph.sqsClient is InMemorySQS)
        let topicArn = try await graph.snsClient.createTopic(name: "things", attributes: [:])
        let queueURL = try await graph.sqsClient.createQueue(name: "things-worker", attributes: [:])
        let queueArn = try await graph.sqsClient.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])["QueueArn"]!
        _ = try await graph.snsClient.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: queueArn,
                                                attributes: ["RawMessageDelivery": "true"])
        _ = try await graph.snsClient.publish(PublishRequest(topicArn: topicArn, message: "hello"))
        let received = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL))
        XCTAssertEqual(received.map(\.body), ["hello"])
        let publications = await (try graph.pubsubBroker).publications
        XCTAssertEqual(publications.map(\.message), ["hello"], "testing graphs record publications")
    }

    func testTestingGraph_producesToConfiguredTopicsWithoutCreatingThem() async throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty,
                              config: ["sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:things"]])
        let messageId = try await graph.snsProducer.produce(.created("Thing"), uri: "http://things/1")
        XCTAssertNotNil(messageId)
        let published = await (try graph.pubsubBroker).publications
        XCTAssertEqual(published.map(\.topicArn), ["arn:aws:sns:us-east-1:123456789012:things"])
    }

    func testMemoryEndpoint_outsideTests_doesNotInventTopics() async throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: ["sns_producer": ["endpoint_url": "memory://"]])
        do {
            _ = try await graph.snsClient.publish(PublishRequest(topicArn: "arn:aws:sns:us-east-1:123456789012:nope", message: "m"))
            XCTFail("published to a topic nobody created")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound")
        }
    }

    func testMemoryEndpoint_selectsTheBrokerOutsideTests() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sns_producer": ["endpoint_url": "memory://"], "sqs_consumer": ["endpoint_url": "memory://"],
        ])
        XCTAssertTrue(try graph.snsClient is InMemorySNS)
        XCTAssertTrue(try graph.sqsClient is InMemorySQS)
    }

    func testMemoryBroker_outsideTests_keepsNoRecordOfPublications() async throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: ["sns_producer": ["endpoint_url": "memory://"]])
        let topicArn = try await graph.snsClient.createTopic(name: "things", attributes: [:])
        _ = try await graph.snsClient.publish(PublishRequest(topicArn: topicArn, message: "hello"))
        let publications = await (try graph.pubsubBroker).publications
        XCTAssertEqual(publications.count, 0)
    }

    func testRealEndpoint_buildsRealClientsSharingOneTransport() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sns_producer": ["endpoint_url": "http://127.0.0.1:9", "region_name": "eu-west-1"],
            "sqs_consumer": ["endpoint_url": "http://127.0.0.1:9", "region_name": "eu-west-1"],
        ])
        XCTAssertTrue(try graph.snsClient is SNSClient)
        XCTAssertTrue(try graph.sqsClient is SQSClient)
        XCTAssertTrue(try graph.awsTransport is CurlTransport)
        XCTAssertFalse(graph.isCreated("pubsub_broker"))
    }

    func testRealEndpoint_badRegion_failsNamingTheConfigKey() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sqs_consumer": ["endpoint_url": "http://127.0.0.1:9", "region_name": "not a region"],
        ])
        XCTAssertThrowsError(try graph.sqsClient) { error in
            XCTAssertTrue("\(error)".contains("creating 'sqs_client' failed"), "\(error)")
            XCTAssertTrue("\(error)".contains("sqs_consumer.region_name"), "\(error)")
        }
    }
}
