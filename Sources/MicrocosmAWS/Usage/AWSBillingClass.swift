/// What a request is priced as: the service, and for SQS and SNS whether it is a FIFO request.
///
/// SQS bills message actions (send, receive, delete, change visibility) on a FIFO queue at the
/// FIFO price and every other action at the standard one; SNS bills publishes to a FIFO topic at
/// the FIFO price. An open set: another service's requests get a class named after it.
public struct AWSBillingClass: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// SQS requests on standard queues, and FIFO queues' actions other than messages'.
    public static let sqs = Self(rawValue: "SQS")
    /// SQS message actions on FIFO queues.
    public static let sqsFIFO = Self(rawValue: "SQS FIFO")
    /// SNS requests, publishes to standard topics among them.
    public static let sns = Self(rawValue: "SNS")
    /// SNS publishes to FIFO topics.
    public static let snsFIFO = Self(rawValue: "SNS FIFO")

    /// The class of a request to `service` (`SQS`, `SNS`; as ``AWSClient/serviceName`` has it), FIFO or not.
    public init(service: String, fifo: Bool) {
        switch (service, fifo) {
        case ("SQS", false): self = .sqs
        case ("SQS", true): self = .sqsFIFO
        case ("SNS", false): self = .sns
        case ("SNS", true): self = .snsFIFO
        default: self.init(rawValue: fifo ? service + " FIFO" : service)
        }
    }

    /// The class of SQS `sqsAction` on `queueURL`: FIFO for message actions on a `.fifo` queue.
    public init(sqsAction action: String, queueURL: String) {
        guard queueURL.hasSuffix(".fifo") else { self = .sqs; return }
        switch action {
        case "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
             "ChangeMessageVisibility", "ChangeMessageVisibilityBatch":
            self = .sqsFIFO
        default:
            self = .sqs
        }
    }

    /// The class of a publish to `topicArn`: FIFO for a `.fifo` topic.
    public init(snsPublishTo topicArn: String) {
        self = topicArn.hasSuffix(".fifo") ? .snsFIFO : .sns
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
