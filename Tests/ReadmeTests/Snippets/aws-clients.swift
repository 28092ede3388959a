// The README.md block `swift aws-clients`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmAWS

func readmeAwsClients(logger: Logger) async throws {
// begin README: aws-clients
let transport = CurlTransport()
let sns = try SNSClient(settings: try AWSServiceSettings.resolve(service: "sns", endpointURL: nil, regionName: "us-east-1",
                                                                 profileName: nil), transport: transport, logger: logger)
let sqs = try SQSClient(settings: try AWSServiceSettings.resolve(service: "sqs", endpointURL: nil, regionName: "us-east-1",
                                                                 profileName: nil), transport: transport, logger: logger)

let topicArn = try await sns.createTopic(name: "things", attributes: [:])        // "things.fifo" makes a FIFO topic
let queueURL = try await sqs.createQueue(name: "things-worker", attributes: ["VisibilityTimeout": "30"])
let queueArn = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])["QueueArn"]!
_ = try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: queueArn,
                            attributes: ["RawMessageDelivery": "false"])

let mediaType = "application/vnd.globality.pubsub._.created.thing"
_ = try await sns.publish(PublishRequest(topicArn: topicArn, message: #"{"mediaType": "\#(mediaType)", "uri": "http://things/1"}"#,
                                         messageAttributes: ["media_type": .string(mediaType)]))
let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 20))
let result = try await sqs.deleteMessageBatch(queueURL: queueURL, entries: messages.enumerated().map {
    DeleteMessageBatchEntry(id: "m\($0.offset)", receiptHandle: $0.element.receiptHandle)
})
for failure in result.failed { logger.warning("not deleted: \(failure)") }
// end README: aws-clients
}
