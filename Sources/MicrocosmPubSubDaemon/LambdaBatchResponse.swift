import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// The partial batch response of a Lambda function fed by SQS (`ReportBatchItemFailures`): the
/// message ids of the records Lambda should hand back to the queue. An empty list means every
/// record is done and Lambda deletes them all.
///
/// ```swift
/// let report = await loop.run()                                   // over a Lambda event's records
/// print(LambdaBatchResponse(report: report).json)
/// // {"batchItemFailures":[{"itemIdentifier":"059f36b4-87a3-44ab-83d2-661975830a7d"}]}
/// ```
public struct LambdaBatchResponse: Sendable, Hashable {
    /// The message ids of the records that failed, in the order they ended.
    public var batchItemFailures: [String]

    /// A response naming `batchItemFailures`.
    public init(batchItemFailures: [String]) {
        self.batchItemFailures = batchItemFailures
    }

    /// The response for a loop's run: every record not handled to a result that deletes it
    /// (RETRIED, FAILED, never started, unfinished) is a failure.
    public init(report: ConsumerLoopReport) {
        self.batchItemFailures = report.notDeleted
    }

    /// `{"batchItemFailures":[{"itemIdentifier":"<messageId>"}, ...]}`
    public var json: String {
        let items = batchItemFailures.map { id -> JSONValue in .object(["itemIdentifier": .string(id)]) }
        return JSONSerializer.compact.string(.object(["batchItemFailures": .array(items)]))
    }
}
