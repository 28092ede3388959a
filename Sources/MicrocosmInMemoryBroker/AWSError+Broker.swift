import MicrocosmAWS

/// The service errors the in-memory broker throws, with the codes, statuses and faults AWS and
/// moto use, and messages that name the queue, topic, handle or parameter at fault.
extension AWSError {
    static func nonExistentQueue(_ queueURL: String, action: String) -> AWSError {
        sqs(.queueDoesNotExist, "The specified queue does not exist: \(queueURL)", action: action)
    }

    static func nonExistentQueue(named name: String, action: String) -> AWSError {
        sqs(.queueDoesNotExist, "The specified queue does not exist: \(name)", action: action)
    }

    static func queueAlreadyExists(_ name: String, attribute: String) -> AWSError {
        sqs(.queueNameExists,
            "A queue named '\(name)' already exists with a different value for attribute \(attribute)", action: "CreateQueue")
    }

    static func receiptHandleIsInvalid(_ receiptHandle: String, queueURL: String, action: String) -> AWSError {
        sqs(.receiptHandleIsInvalid,
            "The input receipt handle \"\(receiptHandle)\" is not a valid receipt handle for queue \(queueURL).", action: action)
    }

    static func messageNotAvailable(_ receiptHandle: String, action: String) -> AWSError {
        sqs(.invalidParameterValue,
            "Value \(receiptHandle) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not "
                + "available for visibility timeout change.", action: action)
    }

    static func messageNotInflight(_ receiptHandle: String, action: String) -> AWSError {
        sqs(.messageNotInflight,
            "The message with receipt handle \(receiptHandle) is not in flight (its visibility timeout has ended).",
            action: action)
    }

    static func invalidParameterValue(_ message: String, action: String) -> AWSError {
        sqs(.invalidParameterValue, message, action: action)
    }

    static func invalidAttributeName(_ name: String, queue: String, action: String) -> AWSError {
        sqs(.invalidAttributeName, "Unknown Attribute \(name) (queue \(queue)).", action: action)
    }

    static func invalidAttributeValue(_ name: String, _ value: String, reason: String, action: String) -> AWSError {
        sqs("InvalidAttributeValue", "Invalid value '\(value)' for the parameter \(name): \(reason).", action: action)
    }

    static func missingParameter(_ name: String, queueURL: String, action: String) -> AWSError {
        sqs("MissingParameter", "The request must contain the parameter \(name) (FIFO queue \(queueURL)).", action: action)
    }

    static func topicNotFound(_ topicArn: String, action: String) -> AWSError {
        AWSError(code: .notFound, message: "Topic does not exist: \(topicArn)", statusCode: 404, service: "SNS",
                 action: action, senderFault: true)
    }

    static func subscriptionNotFound(_ subscriptionArn: String, action: String) -> AWSError {
        AWSError(code: .notFound, message: "Subscription does not exist: \(subscriptionArn)", statusCode: 404,
                 service: "SNS", action: action, senderFault: true)
    }

    static func invalidParameter(_ message: String, action: String) -> AWSError {
        AWSError(code: .invalidParameter, message: "Invalid parameter: \(message)", statusCode: 400, service: "SNS",
                 action: action, senderFault: true)
    }

    private static func sqs(_ code: AWSError.Code, _ message: String, action: String) -> AWSError {
        AWSError(code: code, message: message, statusCode: 400, service: "SQS", action: action, senderFault: true)
    }
}
