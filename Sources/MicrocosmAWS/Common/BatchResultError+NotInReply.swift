extension BatchResultError {
    /// The code of a batch entry the service's reply listed neither as successful nor as failed.
    public static let notInReplyCode = "NotInReply"

    /// Entry `id` of a batch call to `resource` (a topic ARN or queue URL) that the reply did not
    /// mention: reported failed rather than dropped. Not a sender fault, but the entry may have been
    /// acted on, so retrying it may duplicate it.
    public static func notInReply(id: String, action: String, resource: String) -> Self {
        BatchResultError(id: id, code: notInReplyCode,
                         message: "the \(action) reply for \(resource) lists this entry neither as successful nor as failed; "
                             + "it may or may not have taken effect",
                         senderFault: false)
    }
}
