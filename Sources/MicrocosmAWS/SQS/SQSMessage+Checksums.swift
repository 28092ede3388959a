extension SQSMessage {
    /// Checks the digests SQS sent with a received message against its body and attributes.
    ///
    /// `md5OfBody` is checked when present; `md5OfMessageAttributes` when present and the message
    /// carries attributes (a receive that asked for no attributes gets none to check). Throws the
    /// first mismatch.
    ///
    /// ```swift
    /// for message in try await sqs.receiveMessage(request) {
    ///     try message.verifyChecksums(queueURL: request.queueURL)
    /// }
    /// ```
    public func verifyChecksums(queueURL: String? = nil) throws(SQSChecksumError) {
        if let md5OfBody {
            let expected = SQSMessageDigest.md5OfBody(body)
            if md5OfBody.lowercased() != expected {
                throw SQSChecksumError(action: "ReceiveMessage", queueURL: queueURL, messageId: messageId, field: "MD5OfBody",
                                       expected: expected, reported: md5OfBody)
            }
        }
        if let md5OfMessageAttributes, !messageAttributes.isEmpty {
            let expected = SQSMessageDigest.md5OfMessageAttributes(messageAttributes)
            if md5OfMessageAttributes.lowercased() != expected {
                throw SQSChecksumError(action: "ReceiveMessage", queueURL: queueURL, messageId: messageId,
                                       field: "MD5OfMessageAttributes", expected: expected, reported: md5OfMessageAttributes)
            }
        }
    }
}
