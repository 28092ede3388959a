import AWSTestSupport
import Microcosm
import MicrocosmAWS
import XCTest

/// How SNSClient reads each reply (moto's and AWS's layouts), and what it does with replies it cannot read.
final class SNSClientReplyTests: XCTestCase {
    private func client(_ replies: String...) throws -> (SNSClient, StubTransport) {
        let transport = StubTransport(responses: replies.map { .success(.snsXML($0)) })
        return (try makeSNSClient(transport), transport)
    }

    // MARK: Publish

    func testPublish_motoReply_returnsTheMessageIdAndNoSequenceNumber() async throws {
        let (sns, _) = try client(SNSReplies.publish)
        let result = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
        XCTAssertEqual(result, PublishResult(messageId: "8ed628a0-d7f9-4e62-b909-47845c5d862b", sequenceNumber: nil))
    }

    func testPublish_fifoReplyWithPrologueAndIndentation_returnsTheSequenceNumber() async throws {
        let (sns, _) = try client(SNSReplies.publishFIFO)
        let result = try await sns.publish(PublishRequest(topicArn: snsTopicArn + ".fifo", message: "hi", messageGroupId: "g"))
        XCTAssertEqual(result, PublishResult(messageId: "f5bd1ea6-1e3c-5f6b-9b0d-6a0d2d0c8f2e", sequenceNumber: "10000000000000003000"))
    }

    // MARK: PublishBatch

    func testPublishBatch_allSucceeded_returnsEveryEntryAndNoFailures() async throws {
        let (sns, _) = try client(SNSReplies.publishBatchAllSucceeded)
        let result = try await sns.publishBatch(topicArn: snsTopicArn, entries: [PublishBatchEntry(id: "a", message: "m1"),
                                                                                  PublishBatchEntry(id: "b", message: "m2")])
        XCTAssertEqual(result.successful, [PublishBatchResultEntry(id: "a", messageId: "3ff3a25e-391e-4774-9d96-e774efea78f2"),
                                           PublishBatchResultEntry(id: "b", messageId: "28ea9bca-bdcf-49f5-8de4-586780a7bb73")])
        XCTAssertEqual(result.failed, [])
        XCTAssertTrue(result.allSucceeded)
    }

    func testPublishBatch_partialFailure_returnsTheSuccessfulAndEveryFailedEntry() async throws {
        let (sns, _) = try client(SNSReplies.publishBatchPartial)
        let result = try await sns.publishBatch(topicArn: snsTopicArn + ".fifo", entries: ["a", "b", "c"].map {
            PublishBatchEntry(id: $0, message: "m", messageGroupId: "g")
        })
        XCTAssertEqual(result.successful, [PublishBatchResultEntry(id: "a", messageId: "0b4e2c8a-5b0e-5d0f-8a6c-5f7c1c2d3e4f",
                                                                   sequenceNumber: "10000000000000004000")])
        XCTAssertEqual(result.failed, [
            BatchResultError(id: "b", code: "InvalidParameter",
                             message: "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
                                 + "MessageDeduplicationId provided explicitly",
                             senderFault: true),
            BatchResultError(id: "c", code: "InternalError", message: nil, senderFault: false),
        ])
        XCTAssertFalse(result.allSucceeded)
    }

    func testPublishBatch_entryTheReplyDoesNotMention_isReportedFailedSayingSo() async throws {
        let (sns, _) = try client(SNSReplies.publishBatchDroppedEntry)
        let result = try await sns.publishBatch(topicArn: snsTopicArn, entries: [
            PublishBatchEntry(id: "a", message: "m1"), PublishBatchEntry(id: "b", message: "m2", subject: String(repeating: "x", count: 101)),
        ])
        XCTAssertEqual(result.successful.map(\.id), ["a"])
        let failure = try XCTUnwrap(result.failed.first)
        XCTAssertEqual(result.failed.count, 1)
        XCTAssertEqual(failure.id, "b")
        XCTAssertEqual(failure.code, SNSClient.missingFromReplyCode)
        XCTAssertEqual(failure.code, "MissingFromReply")
        XCTAssertFalse(failure.senderFault)
        XCTAssertEqual(failure.description, "entry 'b': MissingFromReply: the SNS PublishBatch reply for TopicArn '\(snsTopicArn)' "
            + "lists entry 'b' as neither successful nor failed; its outcome is unknown")
    }

    func testPublishBatch_replyOutOfOrderWithAStrayId_returnsEntriesInTheOrderSentAndLogsTheStray() async throws {
        let logs = InMemoryLogHandler()
        let transport = StubTransport(responses: [.success(.snsXML("""
            <PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>\
            <member><Id>c</Id><MessageId>m-c</MessageId></member><member><Id>zzz</Id><MessageId>m-z</MessageId></member>\
            <member><Id>a</Id><MessageId>m-a</MessageId></member></Successful><Failed><member><Id>b</Id><Code>InternalError</Code>\
            <SenderFault>false</SenderFault></member><member><Id>a</Id><Code>InvalidParameter</Code><SenderFault>true</SenderFault>\
            </member></Failed></PublishBatchResult></PublishBatchResponse>
            """))])
        let result = try await makeSNSClient(transport, logs: logs).publishBatch(topicArn: snsTopicArn, entries: ["a", "b", "c"].map {
            PublishBatchEntry(id: $0, message: "m")
        })
        XCTAssertEqual(result.successful, [PublishBatchResultEntry(id: "c", messageId: "m-c")])
        XCTAssertEqual(result.failed.map(\.id), ["a", "b"], "a failure wins over a success for the same id")
        XCTAssertEqual(result.failed.map(\.code), ["InvalidParameter", "InternalError"])
        XCTAssertTrue(logs.messages.contains("SNS PublishBatch for TopicArn '\(snsTopicArn)': ignored reply entries that match no entry sent: zzz"),
                      "\(logs.messages)")
    }

    // MARK: Topics and subscriptions

    func testCreateTopic_returnsTheTopicArn() async throws {
        let (sns, _) = try client(SNSReplies.createTopic)
        let arn = try await sns.createTopic(name: "orders", attributes: [:])
        XCTAssertEqual(arn, "arn:aws:sns:us-east-1:123456789012:orders")
    }

    func testDeleteTopicAndUnsubscribe_repliesWithoutAResult_succeed() async throws {
        let (sns, transport) = try client(SNSReplies.deleteTopic, SNSReplies.unsubscribe)
        try await sns.deleteTopic(topicArn: snsTopicArn)
        try await sns.unsubscribe(subscriptionArn: snsTopicArn + ":13e6abab-cc7e-4c6f-9260-31b542935f7c")
        XCTAssertEqual(transport.requests.map { $0.formValue("Action") }, ["DeleteTopic", "Unsubscribe"])
    }

    func testSubscribe_returnsTheSubscriptionArn() async throws {
        let (sns, _) = try client(SNSReplies.subscribe)
        let arn = try await sns.subscribe(topicArn: snsTopicArn, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:123456789012:q",
                                          attributes: [:])
        XCTAssertEqual(arn, "arn:aws:sns:us-east-1:123456789012:orders:13e6abab-cc7e-4c6f-9260-31b542935f7c")
    }

    func testListSubscriptionsByTopic_followsNextTokenThroughEveryPage() async throws {
        let (sns, transport) = try client(SNSReplies.listSubscriptions(["q1", "q2"], nextToken: "100"),
                                          SNSReplies.listSubscriptions(["q3"], nextToken: "200"),
                                          SNSReplies.listSubscriptions(["q4"]))
        let subscriptions = try await sns.listSubscriptionsByTopic(topicArn: snsTopicArn)
        XCTAssertEqual(subscriptions.map(\.endpoint), ["q1", "q2", "q3", "q4"].map { "arn:aws:sqs:us-east-1:123456789012:\($0)" })
        XCTAssertEqual(subscriptions.first, SNSSubscription(subscriptionArn: "arn:aws:sns:us-east-1:123456789012:orders:sub-q1",
                                                            topicArn: snsTopicArn, protocol: "sqs",
                                                            endpoint: "arn:aws:sqs:us-east-1:123456789012:q1", owner: "123456789012"))
        XCTAssertEqual(transport.requests.map { $0.formValue("NextToken") }, [nil, "100", "200"])
    }

    func testListSubscriptionsByTopic_noSubscriptions_returnsAnEmptyList() async throws {
        let (sns, transport) = try client(SNSReplies.listSubscriptions([]))
        let subscriptions = try await sns.listSubscriptionsByTopic(topicArn: snsTopicArn)
        XCTAssertEqual(subscriptions, [])
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testListSubscriptionsByTopic_replyRepeatsTheTokenItWasGiven_throwsInsteadOfLooping() async throws {
        let (sns, transport) = try client(SNSReplies.listSubscriptions(["q1"], nextToken: "100"),
                                          SNSReplies.listSubscriptions(["q2"], nextToken: "100"),
                                          SNSReplies.listSubscriptions(["q3"]))
        do {
            _ = try await sns.listSubscriptionsByTopic(topicArn: snsTopicArn)
            XCTFail("expected an error")
        } catch let error as SNSReplyError {
            XCTAssertEqual(error.description, "SNS ListSubscriptionsByTopic for TopicArn '\(snsTopicArn)' (request pDhkkjpkOn7L98q7): "
                + "unusable reply: NextToken '100' again; stopped paging")
        }
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testGetTopicAttributes_returnsEveryAttributeWithEmptyElementsAsEmptyStrings() async throws {
        let (sns, _) = try client(SNSReplies.getTopicAttributes)
        let attributes = try await sns.getTopicAttributes(topicArn: snsTopicArn)
        XCTAssertEqual(attributes.count, 11)
        XCTAssertEqual(attributes["FifoTopic"], "true")
        XCTAssertEqual(attributes["ContentBasedDeduplication"], "true")
        XCTAssertEqual(attributes["TopicArn"], "arn:aws:sns:us-east-1:123456789012:cap-f2.fifo")
        XCTAssertEqual(attributes["DisplayName"], "")
        XCTAssertEqual(attributes["SubscriptionsConfirmed"], "0")
        XCTAssertTrue(attributes["Policy"]?.hasPrefix(#"{"Version":"2008-10-17","#) == true)
    }

    func testGetTopicAttributes_valuesAreDecodedAndNotTrimmed() async throws {
        let (sns, _) = try client("""
            <GetTopicAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><GetTopicAttributesResult><Attributes>\
            <entry><key>DisplayName</key><value> Orders &amp; &lt;more&gt; </value></entry>\
            </Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>
            """)
        let attributes = try await sns.getTopicAttributes(topicArn: snsTopicArn)
        XCTAssertEqual(attributes, ["DisplayName": " Orders & <more> "])
    }

    // MARK: Unreadable replies

    func testPublish_replyWithoutMessageId_throwsNamingTheTopicAndThePath() async throws {
        let (sns, _) = try client("""
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult/>\
            <ResponseMetadata><RequestId>r-42</RequestId></ResponseMetadata></PublishResponse>
            """)
        do {
            _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
            XCTFail("expected an error")
        } catch let error as SNSReplyError {
            XCTAssertEqual(error.action, "Publish")
            XCTAssertEqual(error.subject, "TopicArn '\(snsTopicArn)'")
            XCTAssertEqual(error.requestId, "r-42")
            XCTAssertEqual(error.description, "SNS Publish for TopicArn '\(snsTopicArn)' (request r-42): "
                + "unusable reply: no PublishResult/MessageId")
        }
    }

    func testPublishBatch_successfulMemberWithoutMessageId_throws() async throws {
        let (sns, _) = try client("""
            <PublishBatchResponse><PublishBatchResult><Successful><member><Id>a</Id></member></Successful>\
            </PublishBatchResult></PublishBatchResponse>
            """)
        do {
            _ = try await sns.publishBatch(topicArn: snsTopicArn, entries: [PublishBatchEntry(id: "a", message: "m")])
            XCTFail("expected an error")
        } catch let error as SNSReplyError {
            XCTAssertEqual(error.description, "SNS PublishBatch for TopicArn '\(snsTopicArn)' (request moto-request): "
                + "unusable reply: no PublishBatchResult/Successful/member/MessageId")
        }
    }

    func testPublish_replyThatIsNotXML_throwsWithTheHeaderRequestId() async throws {
        let transport = StubTransport(responses: [.success(.snsXML("<html><body>proxy error", requestId: "r-7"))])
        do {
            _ = try await makeSNSClient(transport).publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
            XCTFail("expected an error")
        } catch let error as SNSReplyError {
            XCTAssertEqual(error.requestId, "r-7")
            XCTAssertTrue(error.description.hasPrefix("SNS Publish for TopicArn '\(snsTopicArn)' (request r-7): unusable reply: not XML: "),
                          error.description)
        }
    }

    func testCreateTopic_replyToAnotherAction_throwsUnexpectedDocument() async throws {
        let (sns, _) = try client(SNSReplies.publish)
        do {
            _ = try await sns.createTopic(name: "orders", attributes: [:])
            XCTFail("expected an error")
        } catch let error as SNSReplyError {
            XCTAssertEqual(error.description, "SNS CreateTopic for Name 'orders' (request U43iw5nJJeV1Vs7pJ1KCphftYL8vsTIvaz6lV428vIfjmKxPEzba): "
                + "unusable reply: a <PublishResponse> document, expected <CreateTopicResponse>")
        }
    }
}
