#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// The attributes of a queue of the in-memory broker, parsed and checked as SQS does.
struct BrokerQueueSettings: Equatable {
    var visibilityTimeout = 30
    var delaySeconds = 0
    var maximumMessageSize = 1_048_576
    var messageRetentionPeriod = 345_600
    var receiveMessageWaitTimeSeconds = 0
    var redrivePolicy: BrokerRedrivePolicy?
    var isFIFO = false
    var contentBasedDeduplication = false
    /// Attributes kept and reported as given (`Policy`, `KmsMasterKeyId`, ...); the broker does not act on them.
    var stored: [String: String] = [:]

    /// Attributes SQS accepts that the broker keeps without acting on.
    static let storedNames: Set<String> = [
        "Policy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "RedriveAllowPolicy",
        "DeduplicationScope", "FifoThroughputLimit",
    ]

    /// Every attribute name `SetQueueAttributes` and `CreateQueue` accept.
    static let settableNames: Set<String> = storedNames.union([
        "VisibilityTimeout", "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
        "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication",
    ])

    /// Applies `attributes`, checking names and values. The dead-letter target is checked by the broker.
    mutating func apply(_ attributes: [String: String], queueName: String, creating: Bool, action: String) throws {
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "VisibilityTimeout": visibilityTimeout = try Self.integer(name, value, 0...43_200, action)
            case "DelaySeconds": delaySeconds = try Self.integer(name, value, 0...900, action)
            case "MaximumMessageSize": maximumMessageSize = try Self.integer(name, value, 1024...1_048_576, action)
            case "MessageRetentionPeriod": messageRetentionPeriod = try Self.integer(name, value, 60...1_209_600, action)
            case "ReceiveMessageWaitTimeSeconds": receiveMessageWaitTimeSeconds = try Self.integer(name, value, 0...20, action)
            case "RedrivePolicy":
                redrivePolicy = value.isEmpty ? nil : try BrokerRedrivePolicy(json: value, action: action)
            case "FifoQueue":
                let fifo = try Self.boolean(name, value, action)
                guard creating || fifo == isFIFO else {
                    throw AWSError.invalidAttributeValue(name, value, reason: "a queue cannot change type", action: action)
                }
                isFIFO = fifo
            case "ContentBasedDeduplication": contentBasedDeduplication = try Self.boolean(name, value, action)
            case _ where Self.storedNames.contains(name): stored[name] = value
            default: throw AWSError.invalidAttributeName(name, queue: queueName, action: action)
            }
        }
        if contentBasedDeduplication && !isFIFO {
            throw AWSError.invalidAttributeName("ContentBasedDeduplication", queue: queueName, action: action)
        }
    }

    /// The value `GetQueueAttributes` reports for a settable attribute, nil when it has none.
    func value(of name: String) -> String? {
        switch name {
        case "VisibilityTimeout": String(visibilityTimeout)
        case "DelaySeconds": String(delaySeconds)
        case "MaximumMessageSize": String(maximumMessageSize)
        case "MessageRetentionPeriod": String(messageRetentionPeriod)
        case "ReceiveMessageWaitTimeSeconds": String(receiveMessageWaitTimeSeconds)
        case "RedrivePolicy": redrivePolicy?.json
        case "FifoQueue": isFIFO ? "true" : nil
        case "ContentBasedDeduplication": isFIFO ? String(contentBasedDeduplication) : nil
        default: stored[name]
        }
    }

    private static func integer(_ name: String, _ value: String, _ range: ClosedRange<Int>, _ action: String) throws -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw AWSError.invalidAttributeValue(name, value, reason: "must be an integer from \(range.lowerBound) to \(range.upperBound)",
                                                 action: action)
        }
        return number
    }

    private static func boolean(_ name: String, _ value: String, _ action: String) throws -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw AWSError.invalidAttributeValue(name, value, reason: "must be true or false", action: action)
        }
    }
}
