import AWSTestSupport
import MicrocosmAWS
import XCTest

/// GetSubscriptionAttributes and SetSubscriptionAttributes: the form sent and the reply read.
final class SNSClientSubscriptionAttributesTests: XCTestCase {
    private let subscriptionArn = "arn:aws:sns:us-east-1:123456789012:orders:5d6c3c0e-7c1f-4c2b-9d53-1d2f0e6f9a10"

    /// A reply laid out as the SNS API reference shows GetSubscriptionAttributes.
    private let getReply = """
        <GetSubscriptionAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
          <GetSubscriptionAttributesResult>
            <Attributes>
              <entry><key>Owner</key><value>123456789012</value></entry>
              <entry><key>RawMessageDelivery</key><value>true</value></entry>
              <entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:123456789012:orders</value></entry>
              <entry><key>FilterPolicy</key><value>{"media_type":["a &amp; b"]}</value></entry>
              <entry><key>PendingConfirmation</key><value>false</value></entry>
              <entry><key>SubscriptionArn</key><value>arn:aws:sns:us-east-1:123456789012:orders:5d6c3c0e</value></entry>
              <entry><key>DisplayName</key><value></value></entry>
            </Attributes>
          </GetSubscriptionAttributesResult>
          <ResponseMetadata><RequestId>057f074c-33a7-11df-9540-99d0768312d3</RequestId></ResponseMetadata>
        </GetSubscriptionAttributesResponse>
        """

    func testGetSubscriptionAttributes_sendsTheArn_andReadsEveryEntry() async throws {
        let transport = StubTransport(responses: [.success(.snsXML(getReply))])
        let sns = try makeSNSClient(transport)
        let attributes = try await sns.getSubscriptionAttributes(subscriptionArn: subscriptionArn)
        XCTAssertEqual(transport.requests.first?.formValue("Action"), "GetSubscriptionAttributes")
        XCTAssertEqual(transport.requests.first?.formValue("SubscriptionArn"), subscriptionArn)
        XCTAssertEqual(attributes.count, 7)
        XCTAssertEqual(attributes["RawMessageDelivery"], "true")
        XCTAssertEqual(attributes["FilterPolicy"], #"{"media_type":["a & b"]}"#)
        XCTAssertEqual(attributes["DisplayName"], "")
    }

    func testSetSubscriptionAttribute_sendsNameAndValue() async throws {
        let reply = """
            <SetSubscriptionAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\
            <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SetSubscriptionAttributesResponse>
            """
        let transport = StubTransport(responses: [.success(.snsXML(reply))])
        let sns = try makeSNSClient(transport)
        try await sns.setSubscriptionAttribute(subscriptionArn: subscriptionArn, name: "FilterPolicy", value: #"{"media_type":["x"]}"#)
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.formValue("Action"), "SetSubscriptionAttributes")
        XCTAssertEqual(request.formValue("SubscriptionArn"), subscriptionArn)
        XCTAssertEqual(request.formValue("AttributeName"), "FilterPolicy")
        XCTAssertEqual(request.formValue("AttributeValue"), #"{"media_type":["x"]}"#)
    }

    func testNotASubscriptionArn_isRejectedBeforeAnyRequest() async throws {
        let transport = StubTransport(responses: [])
        let sns = try makeSNSClient(transport)
        do {
            _ = try await sns.getSubscriptionAttributes(subscriptionArn: "orders")
            XCTFail("expected a validation error")
        } catch let error as RequestValidationError {
            XCTAssertEqual(error.parameter, "SubscriptionArn")
        }
        XCTAssertEqual(transport.requests.count, 0)
    }
}
