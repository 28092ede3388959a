import AWSTestSupport
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import XCTest

/// StartMessageMoveTask, ListMessageMoveTasks and GetQueueUrl of another account: what goes on the
/// wire and how replies are read (shapes from the SQS API reference).
final class SQSMessageMoveTaskTests: XCTestCase {
    private let dlqArn = "arn:aws:sqs:us-east-1:123456789012:things-dlq"
    private let queueArn = "arn:aws:sqs:us-east-1:123456789012:things"

    private func body(_ request: AWSHTTPRequest?) throws -> JSONValue {
        try JSONParser.parse(request?.sqsBodyText ?? "")
    }

    func testStartMessageMoveTask_sendsSourceAndDestination_andReturnsTheHandle() async throws {
        let transport = sqsReply(#"{"TaskHandle": "eyJ0YXNrSWQiOiJkYTE4"}"#)
        let sqs = try makeSQSClient(transport)

        let handle = try await sqs.startMessageMoveTask(sourceArn: dlqArn, destinationArn: queueArn, maxNumberOfMessagesPerSecond: 50)

        XCTAssertEqual(handle, "eyJ0YXNrSWQiOiJkYTE4")
        XCTAssertEqual(transport.requests.first?.headers["X-Amz-Target"], "AmazonSQS.StartMessageMoveTask")
        XCTAssertEqual(try body(transport.requests.first),
                       ["SourceArn": .string(dlqArn), "DestinationArn": .string(queueArn), "MaxNumberOfMessagesPerSecond": 50])
    }

    func testStartMessageMoveTask_withoutADestination_leavesItOut() async throws {
        let transport = sqsReply(#"{"TaskHandle": "h"}"#)
        let sqs = try makeSQSClient(transport)

        _ = try await sqs.startMessageMoveTask(sourceArn: dlqArn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)

        XCTAssertEqual(try body(transport.requests.first), ["SourceArn": .string(dlqArn)])
    }

    func testStartMessageMoveTask_badArnOrRate_failsBeforeAnyRequest() async throws {
        let transport = sqsReply(#"{"TaskHandle": "h"}"#)
        let sqs = try makeSQSClient(transport)
        for (source, rate) in [("things-dlq", nil), (dlqArn, 0), (dlqArn, 501)] as [(String, Int?)] {
            do {
                _ = try await sqs.startMessageMoveTask(sourceArn: source, destinationArn: nil, maxNumberOfMessagesPerSecond: rate)
                XCTFail("\(source) \(String(describing: rate)) accepted")
            } catch let error as RequestValidationError {
                XCTAssertEqual(error.action, "StartMessageMoveTask")
            }
        }
        XCTAssertEqual(transport.requests.count, 0)
    }

    func testStartMessageMoveTask_replyWithoutHandle_isAResponseError() async throws {
        let sqs = try makeSQSClient(sqsReply("{}"))
        do {
            _ = try await sqs.startMessageMoveTask(sourceArn: dlqArn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil)
            XCTFail("no error")
        } catch let error as SQSResponseError {
            XCTAssertEqual(error.action, "StartMessageMoveTask")
        }
    }

    func testListMessageMoveTasks_readsEachTask() async throws {
        let transport = sqsReply(#"""
            {"Results": [
              {"TaskHandle": "h-2", "Status": "RUNNING", "SourceArn": "\#(dlqArn)", "DestinationArn": "\#(queueArn)",
               "ApproximateNumberOfMessagesMoved": 3, "ApproximateNumberOfMessagesToMove": 10, "StartedTimestamp": 1442428276921},
              {"Status": "FAILED", "SourceArn": "\#(dlqArn)", "ApproximateNumberOfMessagesMoved": 0,
               "FailureReason": "AWS.SimpleQueueService.FifoQueueNotSupported", "StartedTimestamp": 1442428276000}]}
            """#)
        let sqs = try makeSQSClient(transport)

        let tasks = try await sqs.listMessageMoveTasks(sourceArn: dlqArn, maxResults: 10)

        XCTAssertEqual(transport.requests.first?.headers["X-Amz-Target"], "AmazonSQS.ListMessageMoveTasks")
        XCTAssertEqual(try body(transport.requests.first), ["SourceArn": .string(dlqArn), "MaxResults": 10])
        XCTAssertEqual(tasks, [
            SQSMessageMoveTask(taskHandle: "h-2", status: .running, sourceArn: dlqArn, destinationArn: queueArn,
                               approximateNumberOfMessagesMoved: 3, approximateNumberOfMessagesToMove: 10),
            SQSMessageMoveTask(status: .failed, sourceArn: dlqArn, failureReason: "AWS.SimpleQueueService.FifoQueueNotSupported"),
        ])
        XCTAssertTrue(tasks[0].status.isActive)
        XCTAssertFalse(tasks[1].status.isActive)
    }

    func testGetQueueURL_ofAnotherAccount_sendsTheOwner() async throws {
        let transport = sqsReply(#"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/210987654321/things-dlq"}"#)
        let sqs = try makeSQSClient(transport)

        let url = try await sqs.getQueueURL(queueName: "things-dlq", ownerAccountId: "210987654321")

        XCTAssertEqual(url, "https://sqs.us-east-1.amazonaws.com/210987654321/things-dlq")
        XCTAssertEqual(try body(transport.requests.first),
                       ["QueueName": "things-dlq", "QueueOwnerAWSAccountId": "210987654321"])
    }
}
