import AWSTestSupport
import MicrocosmAWS
import XCTest

/// The exact requests SNSClient sends. Expected bodies come from botocore 1.43.11's query serializer
/// (`create_serializer('query')` on the `sns` model, parameters in model order, maps sorted by key,
/// then `urlencode`), with botocore's `+` for a space written `%20`: only `A-Za-z0-9-_.~` stay unescaped.
final class SNSClientRequestTests: XCTestCase {
    private func send(_ reply: String, _ call: (SNSClient) async throws -> Void) async throws -> AWSHTTPRequest {
        let transport = StubTransport(responses: [.success(.snsXML(reply))])
        try await call(try makeSNSClient(transport))
        XCTAssertEqual(transport.requests.count, 1)
        return try XCTUnwrap(transport.requests.first)
    }

    func testPublish_everyField_matchesBotocoreBody() async throws {
        let request = try await send(SNSReplies.publishFIFO) { sns in
            _ = try await sns.publish(PublishRequest(
                topicArn: snsTopicArn + ".fifo", message: "hello world ~*+/&=é\n{\"a\": 1}", subject: "Greetings, all",
                messageAttributes: ["media_type": .string("application/vnd.globality.pubsub._.created.foo"),
                                    "count": .number("42"), "blob": .binary([0, 1, 254, 255])],
                messageGroupId: "group-1", messageDeduplicationId: "dedup-1"))
        }
        XCTAssertEqual(request.formText, "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders.fifo"
            + "&Message=hello%20world%20~%2A%2B%2F%26%3D%C3%A9%0A%7B%22a%22%3A%201%7D&Subject=Greetings%2C%20all"
            + "&MessageAttributes.entry.1.Name=blob&MessageAttributes.entry.1.Value.DataType=Binary"
            + "&MessageAttributes.entry.1.Value.BinaryValue=AAH%2B%2Fw%3D%3D"
            + "&MessageAttributes.entry.2.Name=count&MessageAttributes.entry.2.Value.DataType=Number"
            + "&MessageAttributes.entry.2.Value.StringValue=42"
            + "&MessageAttributes.entry.3.Name=media_type&MessageAttributes.entry.3.Value.DataType=String"
            + "&MessageAttributes.entry.3.Value.StringValue=application%2Fvnd.globality.pubsub._.created.foo"
            + "&MessageDeduplicationId=dedup-1&MessageGroupId=group-1")
    }

    func testPublish_messageOnly_sendsNoOptionalParameters() async throws {
        let request = try await send(SNSReplies.publish) { sns in
            _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
        }
        XCTAssertEqual(request.formText, "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders&Message=hi")
    }

    func testPublish_isASignedFormPostToTheEndpointRoot() async throws {
        let request = try await send(SNSReplies.publish) { sns in
            _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
        }
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://sns.us-east-1.amazonaws.com/")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8")
        XCTAssertEqual(request.headers["X-Amz-Date"], "20261129T140000Z")
        XCTAssertTrue(request.headers["Authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/sns/aws4_request, ") == true,
                      request.headers["Authorization"] ?? "no Authorization")
        XCTAssertNil(request.headers["X-Amz-Target"], "the query protocol names the action in the body, not a header")
    }

    func testPublish_binaryAttribute_isBase64InTheForm() async throws {
        let bytes: [UInt8] = Array(0...255)
        let request = try await send(SNSReplies.publish) { sns in
            _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "m", messageAttributes: ["raw": .binary(bytes)]))
        }
        XCTAssertEqual(request.formValue("MessageAttributes.entry.1.Value.DataType"), "Binary")
        XCTAssertEqual(request.formValue("MessageAttributes.entry.1.Value.BinaryValue"), Data(bytes).base64EncodedString())
        XCTAssertNil(request.formValue("MessageAttributes.entry.1.Value.StringValue"))
    }

    func testPublish_manyAttributes_areWrittenSortedByName() async throws {
        let names = (0..<10).map { "attribute_\($0)" }
        let request = try await send(SNSReplies.publish) { sns in
            _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "m",
                                                     messageAttributes: Dictionary(uniqueKeysWithValues: names.reversed().map { ($0, .string($0)) })))
        }
        let written = (1...10).map { request.formValue("MessageAttributes.entry.\($0).Name") }
        XCTAssertEqual(written, names)
    }

    func testPublishBatch_twoEntries_matchesBotocoreBody() async throws {
        let request = try await send(SNSReplies.publishBatchAllSucceeded) { sns in
            _ = try await sns.publishBatch(topicArn: snsTopicArn, entries: [
                PublishBatchEntry(id: "first", message: "one", subject: "s 1", messageAttributes: ["media_type": .string("x y")]),
                PublishBatchEntry(id: "second", message: "two", messageGroupId: "g2", messageDeduplicationId: "d2"),
            ])
        }
        XCTAssertEqual(request.formText, "Action=PublishBatch&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders"
            + "&PublishBatchRequestEntries.member.1.Id=first&PublishBatchRequestEntries.member.1.Message=one"
            + "&PublishBatchRequestEntries.member.1.Subject=s%201"
            + "&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=media_type"
            + "&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType=String"
            + "&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue=x%20y"
            + "&PublishBatchRequestEntries.member.2.Id=second&PublishBatchRequestEntries.member.2.Message=two"
            + "&PublishBatchRequestEntries.member.2.MessageDeduplicationId=d2&PublishBatchRequestEntries.member.2.MessageGroupId=g2")
    }

    func testCreateTopic_withAttributes_matchesBotocoreBody() async throws {
        let request = try await send(SNSReplies.createTopic) { sns in
            _ = try await sns.createTopic(name: "orders", attributes: ["KmsMasterKeyId": "alias/aws/sns", "DisplayName": "Orders & more"])
        }
        XCTAssertEqual(request.formText, "Action=CreateTopic&Version=2010-03-31&Name=orders"
            + "&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=Orders%20%26%20more"
            + "&Attributes.entry.2.key=KmsMasterKeyId&Attributes.entry.2.value=alias%2Faws%2Fsns")
    }

    func testCreateTopic_fifoNameWithoutFifoTopic_addsFifoTopicTrue() async throws {
        let request = try await send(SNSReplies.createTopic) { sns in
            _ = try await sns.createTopic(name: "orders.fifo", attributes: ["ContentBasedDeduplication": "true"])
        }
        XCTAssertEqual(request.formText, "Action=CreateTopic&Version=2010-03-31&Name=orders.fifo"
            + "&Attributes.entry.1.key=ContentBasedDeduplication&Attributes.entry.1.value=true"
            + "&Attributes.entry.2.key=FifoTopic&Attributes.entry.2.value=true")
    }

    func testCreateTopic_noAttributes_sendsJustTheName() async throws {
        let request = try await send(SNSReplies.createTopic) { sns in _ = try await sns.createTopic(name: "orders", attributes: [:]) }
        XCTAssertEqual(request.formText, "Action=CreateTopic&Version=2010-03-31&Name=orders")
    }

    func testDeleteTopic_matchesBotocoreBody() async throws {
        let request = try await send(SNSReplies.deleteTopic) { sns in try await sns.deleteTopic(topicArn: snsTopicArn) }
        XCTAssertEqual(request.formText, "Action=DeleteTopic&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders")
    }

    func testSubscribe_rawDeliveryAndFilterPolicy_matchesBotocoreBodyAndAsksForTheArn() async throws {
        let request = try await send(SNSReplies.subscribe) { sns in
            _ = try await sns.subscribe(topicArn: snsTopicArn, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:123456789012:orders-worker",
                                        attributes: ["RawMessageDelivery": "true",
                                                     "FilterPolicy": #"{"media_type": ["application/vnd.globality.pubsub._.created.order"]}"#])
        }
        XCTAssertEqual(request.formText, "Action=Subscribe&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders"
            + "&Protocol=sqs&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A123456789012%3Aorders-worker"
            + "&Attributes.entry.1.key=FilterPolicy"
            + "&Attributes.entry.1.value=%7B%22media_type%22%3A%20%5B%22application%2Fvnd.globality.pubsub._.created.order%22%5D%7D"
            + "&Attributes.entry.2.key=RawMessageDelivery&Attributes.entry.2.value=true&ReturnSubscriptionArn=true")
    }

    func testUnsubscribe_matchesBotocoreBody() async throws {
        let request = try await send(SNSReplies.unsubscribe) { sns in
            try await sns.unsubscribe(subscriptionArn: snsTopicArn + ":2f9134c4-2a29-471a-bba9-8d2840f6d778")
        }
        XCTAssertEqual(request.formText, "Action=Unsubscribe&Version=2010-03-31"
            + "&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders%3A2f9134c4-2a29-471a-bba9-8d2840f6d778")
    }

    func testGetTopicAttributes_matchesBotocoreBody() async throws {
        let request = try await send(SNSReplies.getTopicAttributes) { sns in _ = try await sns.getTopicAttributes(topicArn: snsTopicArn) }
        XCTAssertEqual(request.formText, "Action=GetTopicAttributes&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders")
    }

    func testListSubscriptionsByTopic_secondPage_sendsTheNextTokenItWasGiven() async throws {
        let transport = StubTransport { _, index in
            .snsXML(index == 0 ? SNSReplies.listSubscriptions(["q1"], nextToken: "100") : SNSReplies.listSubscriptions(["q2"]))
        }
        _ = try await makeSNSClient(transport).listSubscriptionsByTopic(topicArn: snsTopicArn)
        XCTAssertEqual(transport.requests.map(\.formText), [
            "Action=ListSubscriptionsByTopic&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders",
            "Action=ListSubscriptionsByTopic&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aorders&NextToken=100",
        ])
    }
}
