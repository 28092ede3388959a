#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// SQS queue management: CreateQueue, DeleteQueue, PurgeQueue, GetQueueUrl, Get/SetQueueAttributes.
extension InMemoryBroker {
    func createQueue(name: String, attributes: [String: String]) throws -> String {
        let action = BrokerAction.createQueue
        try checkQueueName(name, fifo: attributes["FifoQueue"]?.lowercased() == "true")
        var settings = BrokerQueueSettings()
        try settings.apply(attributes, queueName: name, creating: true, action: action.rawValue)
        try checkRedrive(settings, queueName: name, action: action)
        let now = clock.now
        if let existing = queuesByName[name] {
            for attribute in attributes.keys.sorted() where existing.settings.value(of: attribute) != settings.value(of: attribute) {
                throw AWSError.queueAlreadyExists(name, attribute: attribute)
            }
            return existing.url
        }
        let queue = BrokerQueue(name: name, url: queueURL(named: name), arn: queueArn(named: name), settings: settings, now: now,
                                handleKey: identifiers.next())
        queuesByName[name] = queue
        queuesByURL[queue.url] = queue
        queuesByArn[queue.arn] = queue
        return queue.url
    }

    func deleteQueue(queueURL: String) throws {
        let queue = try queue(at: queueURL, action: .deleteQueue)
        queuesByName[queue.name] = nil
        queuesByURL[queue.url] = nil
        queuesByArn[queue.arn] = nil
        queue.markDeleted()
        for waiter in queue.waiters { wake(waiter) }
    }

    func purgeQueue(queueURL: String) throws {
        try queue(at: queueURL, action: .purgeQueue).purge()
    }

    func getQueueURL(queueName: String) throws -> String {
        guard let queue = queuesByName[queueName] else {
            throw AWSError.nonExistentQueue(named: queueName, action: BrokerAction.getQueueURL.rawValue)
        }
        return queue.url
    }

    func getQueueAttributes(queueURL: String, names: [String]) throws -> [String: String] {
        let action = BrokerAction.getQueueAttributes
        let queue = try queue(at: queueURL, action: action)
        queue.promoteDue(now: clock.now)
        let all = names.contains("All")
        var result: [String: String] = [:]
        var known = BrokerQueueSettings.settableNames
        func add(_ name: String, _ value: @autoclosure () -> String?) {
            known.insert(name)
            if all || names.contains(name), let value = value() { result[name] = value }
        }
        add("QueueArn", queue.arn)
        add("ApproximateNumberOfMessages", String(queue.visibleCount))
        add("ApproximateNumberOfMessagesNotVisible", String(queue.inFlightCount))
        add("ApproximateNumberOfMessagesDelayed", String(queue.delayedCount))
        add("CreatedTimestamp", String(Int(queue.createdAt.timeIntervalSince1970)))
        add("LastModifiedTimestamp", String(Int(queue.modifiedAt.timeIntervalSince1970)))
        for name in BrokerQueueSettings.settableNames { add(name, queue.settings.value(of: name)) }
        if let unknown = names.first(where: { $0 != "All" && !known.contains($0) }) {
            throw AWSError.invalidAttributeName(unknown, queue: queueURL, action: action.rawValue)
        }
        return result
    }

    func setQueueAttributes(queueURL: String, attributes: [String: String]) throws {
        let action = BrokerAction.setQueueAttributes
        let queue = try queue(at: queueURL, action: action)
        var settings = queue.settings
        try settings.apply(attributes, queueName: queue.name, creating: false, action: action.rawValue)
        try checkRedrive(settings, queueName: queue.name, action: action)
        queue.settings = settings
        queue.modifiedAt = clock.now
        settle(queue)
    }

    /// A FIFO queue's name ends in `.fifo` and it says `FifoQueue=true`; a standard queue does neither.
    private func checkQueueName(_ name: String, fifo: Bool) throws {
        guard name.hasSuffix(".fifo") == fifo else {
            throw AWSError.invalidParameterValue(
                "The name of a FIFO queue must end with the .fifo suffix, and only a queue with FifoQueue=true may have it "
                    + "(queue '\(name)'" + (fifo ? " with FifoQueue=true)" : ")"), action: BrokerAction.createQueue.rawValue)
        }
    }

    /// A redrive policy must name an existing dead-letter queue of the same type.
    private func checkRedrive(_ settings: BrokerQueueSettings, queueName: String, action: BrokerAction) throws {
        guard let redrive = settings.redrivePolicy else { return }
        func invalid(_ reason: String) -> AWSError {
            .invalidParameterValue("Value \(redrive.json) for parameter RedrivePolicy is invalid (queue \(queueName)). Reason: \(reason).",
                                   action: action.rawValue)
        }
        guard let target = queuesByArn[redrive.deadLetterTargetArn] else { throw invalid("Dead letter target does not exist") }
        guard target.isFIFO == settings.isFIFO else { throw invalid("Dead-letter queue must be same type of queue as the source") }
        guard target.name != queueName else { throw invalid("A queue cannot be its own dead-letter queue") }
    }
}
