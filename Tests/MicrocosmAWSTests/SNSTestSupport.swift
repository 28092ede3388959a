import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS

/// The topic most SNS tests talk about.
let snsTopicArn = "arn:aws:sns:us-east-1:123456789012:orders"

/// An SNSClient for unit tests: fixed credentials and clock, sleeps recorded, no network.
func makeSNSClient(_ transport: StubTransport, environment: ManualEnvironment = ManualEnvironment(),
                   logs: InMemoryLogHandler = InMemoryLogHandler()) throws -> SNSClient {
    SNSClient(client: try AWSClient(service: "sns", region: "us-east-1", endpoint: "https://sns.us-east-1.amazonaws.com",
                                    credentialProvider: FixedCredentialProvider(), transport: transport,
                                    logger: Logger(label: "test", level: .trace, handler: logs),
                                    environment: environment.environment))
}

extension AWSHTTPResponse {
    /// A reply as moto sends it: `text/xml`, no `<?xml?>` prologue, the request id in a header too.
    static func snsXML(_ body: String, status: Int = 200, requestId: String = "moto-request") -> AWSHTTPResponse {
        AWSHTTPResponse(status: status, headers: ["Content-Type": "text/xml", "x-amzn-RequestId": requestId], body: Array(body.utf8))
    }
}

extension AWSHTTPRequest {
    /// The form body as text.
    var formText: String { String(decoding: body, as: UTF8.self) }

    /// The form parameters, decoded (`%XX`; a `+` is a space as in any form decoder).
    var formParameters: [(String, String)] {
        formText.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The decoded value of form parameter `name`.
    func formValue(_ name: String) -> String? {
        formParameters.first { $0.0 == name }?.1
    }
}

/// SNS replies captured from moto 5.2 (one line, no prologue) and, where moto does not send a
/// field (SequenceNumber, Failed members), laid out as AWS documents them (indented, with a prologue).
enum SNSReplies {
    static let publish = """
        <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>8ed628a0-d7f9-4e62-b909-47845c5d862b</MessageId></PublishResult><ResponseMetadata><RequestId>U43iw5nJJeV1Vs7pJ1KCphftYL8vsTIvaz6lV428vIfjmKxPEzba</RequestId></ResponseMetadata></PublishResponse>
        """

    static let publishFIFO = """
        <?xml version="1.0" encoding="UTF-8"?>
        <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
          <PublishResult>
            <MessageId>f5bd1ea6-1e3c-5f6b-9b0d-6a0d2d0c8f2e</MessageId>
            <SequenceNumber>10000000000000003000</SequenceNumber>
          </PublishResult>
          <ResponseMetadata>
            <RequestId>a7b1f6e2-7a3e-5d0c-9c55-0f3b5d4c2e11</RequestId>
          </ResponseMetadata>
        </PublishResponse>
        """

    static let publishBatchAllSucceeded = """
        <PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful><member><Id>a</Id><MessageId>3ff3a25e-391e-4774-9d96-e774efea78f2</MessageId></member><member><Id>b</Id><MessageId>28ea9bca-bdcf-49f5-8de4-586780a7bb73</MessageId></member></Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>IK3fI0mjMm2m3cCLzbzwUDP86GYBRWR0her2ooUMMooIARPYemRD</RequestId></ResponseMetadata></PublishBatchResponse>
        """

    static let publishBatchPartial = """
        <?xml version="1.0" encoding="UTF-8"?>
        <PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
          <PublishBatchResult>
            <Successful>
              <member>
                <Id>a</Id>
                <MessageId>0b4e2c8a-5b0e-5d0f-8a6c-5f7c1c2d3e4f</MessageId>
                <SequenceNumber>10000000000000004000</SequenceNumber>
              </member>
            </Successful>
            <Failed>
              <member>
                <Id>b</Id>
                <Code>InvalidParameter</Code>
                <Message>Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly</Message>
                <SenderFault>true</SenderFault>
              </member>
              <member>
                <Id>c</Id>
                <Code>InternalError</Code>
                <SenderFault>false</SenderFault>
              </member>
            </Failed>
          </PublishBatchResult>
          <ResponseMetadata>
            <RequestId>2d8e9a7c-3c51-5e6a-b8f4-1e0a9d7c6b5a</RequestId>
          </ResponseMetadata>
        </PublishBatchResponse>
        """

    /// moto 5.2 on a batch whose second entry has a 101-character subject: the entry is in neither list.
    static let publishBatchDroppedEntry = """
        <PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful><member><Id>a</Id><MessageId>551c805e-dc92-437a-ac02-709165e04b14</MessageId></member></Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>SS71GNdkz6ebQGfkEIVlQuJzTNSIRdqH8GiKQYD25pdKlZaGIlar</RequestId></ResponseMetadata></PublishBatchResponse>
        """

    static let createTopic = """
        <CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:123456789012:orders</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>IBEzrdg7jIOtJtf3UoSKUFRSIp4icqFF5ocigofQxSARoQ52aDKm</RequestId></ResponseMetadata></CreateTopicResponse>
        """

    static let deleteTopic = """
        <DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata><RequestId>3XgTPPdVk9mntwK3Cx9zxEloB6cLMUBMqDm6jNZzzSlGdlViLL69</RequestId></ResponseMetadata></DeleteTopicResponse>
        """

    static let subscribe = """
        <SubscribeResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><SubscribeResult><SubscriptionArn>arn:aws:sns:us-east-1:123456789012:orders:13e6abab-cc7e-4c6f-9260-31b542935f7c</SubscriptionArn></SubscribeResult><ResponseMetadata><RequestId>tC1pA833KcwYCBeakV95NZDGhHUyQM5ERPnS1eXYWmWhmc5m2rfw</RequestId></ResponseMetadata></SubscribeResponse>
        """

    static let unsubscribe = """
        <UnsubscribeResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata><RequestId>EJYnk7tU67t5fdeb1tSUFiRV1QlacIwYV0Whu7Nc4HwBT3YHSDyE</RequestId></ResponseMetadata></UnsubscribeResponse>
        """

    /// One page of subscriptions; `nextToken` adds moto's page token.
    static func listSubscriptions(_ queues: [String], nextToken: String? = nil) -> String {
        let members = queues.map { queue in
            "<member><SubscriptionArn>arn:aws:sns:us-east-1:123456789012:orders:sub-\(queue)</SubscriptionArn>"
                + "<Owner>123456789012</Owner><Protocol>sqs</Protocol>"
                + "<Endpoint>arn:aws:sqs:us-east-1:123456789012:\(queue)</Endpoint>"
                + "<TopicArn>arn:aws:sns:us-east-1:123456789012:orders</TopicArn></member>"
        }.joined()
        return #"<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListSubscriptionsByTopicResult>"#
            + "<Subscriptions>\(members)</Subscriptions>" + (nextToken.map { "<NextToken>\($0)</NextToken>" } ?? "")
            + "</ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>pDhkkjpkOn7L98q7</RequestId></ResponseMetadata>"
            + "</ListSubscriptionsByTopicResponse>"
    }

    static let getTopicAttributes = """
        <GetTopicAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><GetTopicAttributesResult><Attributes><entry><key>Owner</key><value>123456789012</value></entry><entry><key>Policy</key><value>{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Effect":"Allow","Sid":"__default_statement_ID","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"arn:aws:sns:us-east-1:123456789012:cap-f2.fifo","Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}}]}</value></entry><entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:123456789012:cap-f2.fifo</value></entry><entry><key>DisplayName</key><value/></entry><entry><key>SubscriptionsPending</key><value>0</value></entry><entry><key>SubscriptionsConfirmed</key><value>0</value></entry><entry><key>SubscriptionsDeleted</key><value>0</value></entry><entry><key>DeliveryPolicy</key><value/></entry><entry><key>EffectiveDeliveryPolicy</key><value>{"defaultHealthyRetryPolicy": {"numNoDelayRetries": 0, "numMinDelayRetries": 0, "minDelayTarget": 20, "maxDelayTarget": 20, "numMaxDelayRetries": 0, "numRetries": 3, "backoffFunction": "linear"}, "sicklyRetryPolicy": null, "throttlePolicy": null, "guaranteed": false}</value></entry><entry><key>FifoTopic</key><value>true</value></entry><entry><key>ContentBasedDeduplication</key><value>true</value></entry></Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>xdbTewQkq8m7TykcufIoT8ahq6snpqeNHs0LQYnwLjsR2EAhtUp1</RequestId></ResponseMetadata></GetTopicAttributesResponse>
        """

    static let notFound = """
        <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message><message>Topic does not exist</message></Error><RequestId>kY0KfrLkgpVUNLdXC31fgrSDIe8lhMPEy3OQ1Sn1LQ1Z5ghLFUKq</RequestId></ErrorResponse>
        """

    static let invalidParameter = """
        <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.</Message><message>Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.</message></Error><RequestId>31UDmXB9T2OhodSAGAXQMEn6gF4fNIMmX89Xn0OSXRY1FcPdCOhL</RequestId></ErrorResponse>
        """

    /// AWS's layout of a server-side failure (Type Receiver).
    static let internalError = """
        <?xml version="1.0"?>
        <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
          <Error>
            <Type>Receiver</Type>
            <Code>InternalError</Code>
            <Message>An internal service error has occurred.</Message>
          </Error>
          <RequestId>9d1b4e3a-2f6c-5a7d-8e9f-0a1b2c3d4e5f</RequestId>
        </ErrorResponse>
        """
}
