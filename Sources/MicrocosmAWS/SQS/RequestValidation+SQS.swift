extension RequestValidation {
    /// A queue name as SQS accepts it: 1 to 80 letters, digits, `-` or `_`, where a FIFO queue's
    /// name ends in `.fifo` (counted in the 80).
    public static func checkQueueName(_ name: String, action: String) throws(RequestValidationError) {
        let stem = name.hasSuffix(".fifo") ? name.utf8.dropLast(5) : name.utf8[...]
        guard (1...80).contains(name.utf8.count), !stem.isEmpty, stem.allSatisfy(isNameByte) else {
            throw RequestValidationError(service: "SQS", action: action, parameter: "QueueName",
                                         reason: "must be 1 to 80 letters, digits, '-' or '_' (plus '.fifo' for a FIFO queue), got '\(name)'")
        }
    }

    /// A receipt handle must not be empty; `entryId` names the batch entry it belongs to.
    public static func checkReceiptHandle(_ receiptHandle: String, action: String, entryId: String? = nil) throws(RequestValidationError) {
        guard !receiptHandle.isEmpty else {
            throw RequestValidationError(service: "SQS", action: action,
                                         parameter: entryId.map { "entry '\($0)' ReceiptHandle" } ?? "ReceiptHandle",
                                         reason: "must not be empty")
        }
    }

    /// Queue attributes to set: at least one, every name non-empty.
    public static func checkQueueAttributes(_ attributes: [String: String], action: String,
                                            allowEmpty: Bool) throws(RequestValidationError) {
        if attributes.isEmpty, !allowEmpty {
            throw RequestValidationError(service: "SQS", action: action, parameter: "Attributes", reason: "must not be empty")
        }
        if attributes.keys.contains("") {
            throw RequestValidationError(service: "SQS", action: action, parameter: "Attributes",
                                         reason: "must not have an empty attribute name")
        }
    }
}
