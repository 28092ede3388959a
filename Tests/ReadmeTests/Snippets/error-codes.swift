// The README.md block `swift error-codes`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmAWS

func readmeErrorCodes(sqs: SQSClient, queueURL: String, message: SQSMessage, logger: Logger) async throws {
// begin README: error-codes
do {
    try await sqs.changeMessageVisibility(queueURL: queueURL, receiptHandle: message.receiptHandle, visibilityTimeout: 60)
} catch let error as AWSError {
    switch error.code {
    case .receiptHandleIsInvalid, .messageNotInflight:
        logger.info("message \(message.messageId) is no longer ours: SQS delivers it again")
    case .queueDoesNotExist:
        throw error
    default:
        logger.warning("\(error)")                 // isThrottling, isTransient, isRetryable classify the rest
    }
}
// end README: error-codes
}
