import MicrocosmAWS

extension BatchResult {
    /// The result of doing `body` to each entry, in order: what it returns succeeds; an `AWSError`
    /// it throws fails that entry alone, blamed on the sender (as SQS and SNS blame it).
    static func eachEntry<Entry>(of entries: [Entry], id: (Entry) -> String,
                                 _ body: (Entry) throws -> Success) rethrows -> Self {
        var result = Self()
        for entry in entries {
            do {
                result.successful.append(try body(entry))
            } catch let error as AWSError {
                result.failed.append(BatchResultError(id: id(entry), code: error.code, message: error.message, senderFault: true))
            }
        }
        return result
    }
}
