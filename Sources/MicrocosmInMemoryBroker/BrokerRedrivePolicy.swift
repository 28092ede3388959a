import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// A queue's `RedrivePolicy`: after `maxReceiveCount` receives, the next receive moves the
/// message to the dead-letter queue instead of delivering it.
struct BrokerRedrivePolicy: Equatable {
    let deadLetterTargetArn: String
    let maxReceiveCount: Int

    /// Parses `{"deadLetterTargetArn": "arn:...", "maxReceiveCount": 5}` (the count may be a string).
    init(json: String, action: String) throws {
        func invalid(_ reason: String) -> AWSError {
            .invalidParameterValue("Value \(json) for parameter RedrivePolicy is invalid. Reason: \(reason).", action: action)
        }
        guard let object = (try? JSONParser.parse(json))?.objectValue else { throw invalid("Redrive policy is not a JSON object") }
        guard let target = object["deadLetterTargetArn"]?.stringValue, !target.isEmpty else {
            throw invalid("Redrive policy does not contain deadLetterTargetArn")
        }
        let count = object["maxReceiveCount"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } }
        guard let count, (1...1000).contains(count) else { throw invalid("Invalid value for maxReceiveCount (1 to 1000)") }
        deadLetterTargetArn = target
        maxReceiveCount = count
    }

    /// The policy as `GetQueueAttributes` reports it.
    var json: String {
        JSONSerializer.compact.string(["deadLetterTargetArn": .string(deadLetterTargetArn), "maxReceiveCount": .int(maxReceiveCount)])
    }
}
