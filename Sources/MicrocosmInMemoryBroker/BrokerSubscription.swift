/// One `sqs` subscription of the in-memory broker.
final class BrokerSubscription {
    let arn: String
    let topicArn: String
    /// The queue ARN.
    let endpoint: String
    /// `RawMessageDelivery`: the message itself is the body and its attributes SQS message attributes.
    let rawMessageDelivery: Bool
    let filterPolicy: BrokerFilterPolicy?
    /// The attributes it was created with.
    let attributes: [String: String]
    /// The end of this subscription's envelopes (``BrokerEnvelope/suffix(subscriptionArn:)``).
    let envelopeSuffix: [UInt8]
    /// The queue last delivered to, kept to skip a lookup per publish while it exists.
    var queue: BrokerQueue?

    init(arn: String, topicArn: String, endpoint: String, rawMessageDelivery: Bool, filterPolicy: BrokerFilterPolicy?,
         attributes: [String: String]) {
        self.arn = arn
        self.topicArn = topicArn
        self.endpoint = endpoint
        self.rawMessageDelivery = rawMessageDelivery
        self.filterPolicy = filterPolicy
        self.attributes = attributes
        self.envelopeSuffix = BrokerEnvelope.suffix(subscriptionArn: arn)
    }
}
