import Microcosm
import MicrocosmJSON
import Synchronization

/// The records of one Lambda SQS event, handed out once, for a ``MessageSource``.
package final class LambdaEventFeed: Sendable {
    private let records: [JSONValue]
    private let next = Mutex(0)

    init(records: [JSONValue]) {
        self.records = records
    }

    var count: Int { records.count }

    /// True once every record has been handed out.
    var isExhausted: Bool { next.withLock { $0 >= records.count } }

    /// The next `limit` records at most.
    func take(limit: Int) -> [JSONValue] {
        next.withLock { next in
            let end = min(next + limit, records.count)
            defer { next = end }
            return Array(records[next..<end])
        }
    }

    /// The records of `event`: an event with `Records`, an array of records, one record (what
    /// microcosm-pubsub's Lambda handler passes), or any of these as JSON text.
    static func records(of event: JSONValue, key: String?) throws(SQSConsumerError) -> [JSONValue] {
        switch event {
        case .string(let text):
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(text)
            } catch {
                throw .invalidLambdaEvent("not JSON: \(error)", key: key, underlying: error)
            }
            if case .string = parsed { throw .invalidLambdaEvent("a JSON string holding a string", key: key) }
            return try records(of: parsed, key: key)
        case .array(let records):
            return records
        case .object(let object):
            if let records = object["Records"] {
                guard case .array(let list) = records else {
                    throw .invalidLambdaEvent("'Records' is \(records.typeName) \(records.briefDescription), expected an array", key: key)
                }
                return list
            }
            return [event]
        default:
            throw .invalidLambdaEvent("got \(event.typeName) \(event.briefDescription), expected an object with 'Records', "
                                          + "an array of records or one record", key: key)
        }
    }
}
