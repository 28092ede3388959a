import MicrocosmAWS

extension SQSConsumer {
    /// The message this consumer reads when SQS delivers `message`: read through its envelope as
    /// ``consume()`` reads a received one, without a receive (tests dispatch it to the handlers).
    package func read(_ message: SQSMessage) -> ConsumedMessage {
        envelope.read(.message(message), queueURL: source.queueURL, consumer: self)
    }
}
