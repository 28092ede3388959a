extension RequestValidation {
    /// The longest topic name, `.fifo` suffix included.
    public static let maximumTopicNameLength = 256

    /// A topic name of 1 to 256 letters, digits, `-` and `_`, where a FIFO topic's name ends in
    /// `.fifo` (counted in the 256); a `FifoTopic` attribute must agree with the name.
    public static func checkCreateTopic(name: String, attributes: [String: String]) throws(RequestValidationError) {
        let isFIFOName = name.hasSuffix(".fifo")
        let base = isFIFOName ? name.dropLast(5) : Substring(name)
        guard !base.isEmpty, name.utf8.count <= maximumTopicNameLength, base.utf8.allSatisfy(isNameByte) else {
            throw RequestValidationError(service: "SNS", action: "CreateTopic", parameter: "Name",
                                         reason: "must be 1 to \(maximumTopicNameLength) letters, digits, '-' or '_' "
                                             + "(FIFO topics: ending in '.fifo'), got '\(name)'")
        }
        if let fifo = attributes["FifoTopic"] {
            let wantsFIFO = fifo.lowercased() == "true"
            guard wantsFIFO == isFIFOName else {
                throw RequestValidationError(service: "SNS", action: "CreateTopic", parameter: "attribute 'FifoTopic'",
                                             reason: "is '\(fifo)' but topic name '\(name)' "
                                                 + (isFIFOName ? "ends in '.fifo'" : "does not end in '.fifo'"))
            }
        }
    }

    /// A topic ARN; a protocol and an endpoint; for protocol `sqs`, the endpoint must be a queue ARN
    /// (not the queue URL).
    public static func checkSubscribe(topicArn: String, protocol: String, endpoint: String) throws(RequestValidationError) {
        try checkTopicArn(topicArn, action: "Subscribe")
        guard !`protocol`.isEmpty else {
            throw RequestValidationError(service: "SNS", action: "Subscribe", parameter: "Protocol", reason: "must not be empty")
        }
        guard !endpoint.isEmpty else {
            throw RequestValidationError(service: "SNS", action: "Subscribe", parameter: "Endpoint", reason: "must not be empty")
        }
        if `protocol` == "sqs" {
            let parts = endpoint.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 6, parts[0] == "arn", parts[2] == "sqs" else {
                throw RequestValidationError(service: "SNS", action: "Subscribe", parameter: "Endpoint",
                                             reason: "must be a queue ARN (arn:aws:sqs:region:account:name) for protocol sqs, "
                                                 + "got '\(endpoint)'")
            }
        }
    }

    /// A subscription ARN must at least look like one (a topic ARN plus `:id`).
    public static func checkSubscriptionArn(_ subscriptionArn: String, action: String) throws(RequestValidationError) {
        guard subscriptionArn.hasPrefix("arn:"),
              subscriptionArn.split(separator: ":", omittingEmptySubsequences: false).count >= 7 else {
            throw RequestValidationError(service: "SNS", action: action, parameter: "SubscriptionArn",
                                         reason: "must be a subscription ARN (arn:aws:sns:region:account:topic:id), "
                                             + "got '\(subscriptionArn)'")
        }
    }
}
