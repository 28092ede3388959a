import Microcosm

/// Sorts the members of a batch reply into the entries sent, as every batch call of ``SNSClient`` and ``SQSClient``
/// does: the first `Failed` or `Successful` member for an id counts, members whose ids were not sent are logged and
/// ignored, and an entry the reply does not mention fails as missing from the reply.
///
/// ```swift
/// var sorter = BatchReplySorter<JSONObject>(ids: entries.map(\.id))
/// sorter.fail(failure)              // each Failed member
/// sorter.succeed(id, object)        // each Successful member
/// let result = sorter.result(...) { index, object in .success(entries[index].id) }
/// ```
struct BatchReplySorter<Member> {
    private let ids: [String]
    private let sent: Set<String>
    private var failures: [String: BatchResultError] = [:]
    private var successes: [String: Member] = [:]
    private var strays: [String] = []

    /// A sorter for the entries with `ids`, in the order they were sent.
    init(ids: [String]) {
        self.ids = ids
        sent = Set(ids)
    }

    /// Records a `Failed` member.
    mutating func fail(_ failure: BatchResultError) {
        if sent.contains(failure.id) { failures[failure.id] = failures[failure.id] ?? failure } else { strays.append(failure.id) }
    }

    /// Records a `Successful` member for entry `id`.
    mutating func succeed(_ id: String, _ member: Member) {
        if sent.contains(id) { successes[id] = successes[id] ?? member } else { strays.append(id) }
    }

    /// Records a member that names no entry, by `description`.
    mutating func stray(_ description: String) {
        strays.append(description)
    }

    /// Every entry sent, in order: failed as its `Failed` member says, through `success` for its `Successful` one,
    /// or failed with `missingCode` when the reply names it in neither. Strays are logged as one warning about
    /// `service` `action` for `subject` (`TopicArn '…'`, `QueueUrl '…'`).
    func result<Success>(service: String, action: String, subject: String, missingCode: AWSError.Code, logger: Logger,
                         success: (Int, Member) -> BatchEntryOutcome<Success>) -> BatchResult<Success> {
        if !strays.isEmpty {
            logger.warning("\(service) \(action) for \(subject): ignored reply entries that match no entry sent: "
                + strays.joined(separator: ", "), metadata: ["aws.service": service, "aws.action": action])
        }
        var result = BatchResult<Success>()
        for (index, id) in ids.enumerated() {
            if let failure = failures[id] {
                result.failed.append(failure)
            } else if let member = successes[id] {
                switch success(index, member) {
                case .success(let value): result.successful.append(value)
                case .failed(let failure): result.failed.append(failure)
                }
            } else {
                result.failed.append(BatchResultError(
                    id: id, code: missingCode,
                    message: "the \(service) \(action) reply for \(subject) lists entry '\(id)' as neither successful nor failed; "
                        + "its outcome is unknown", senderFault: false))
            }
        }
        return result
    }
}

/// What became of one batch entry the reply listed as successful.
enum BatchEntryOutcome<Success> {
    case success(Success)
    case failed(BatchResultError)
}
