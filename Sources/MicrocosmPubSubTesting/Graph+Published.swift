import Microcosm
import MicrocosmInMemoryBroker
import MicrocosmPubSub

/// What a testing graph published, read from its in-memory broker's record.
extension Graph {
    /// Every message published through this graph's `sns_client`, oldest first (Publish and each
    /// PublishBatch entry), read as pubsub messages.
    ///
    /// Throws ``PubSubTestingError`` when the graph keeps no record (it is not testing), when its
    /// `sns_client` was replaced by something other than the in-memory broker, or when a published
    /// text is not a pubsub message.
    ///
    /// ```swift
    /// _ = try await graph.snsProducer.produce(.created("Order"), ["uri": "http://orders/1"])
    /// let published = try await graph.published
    /// XCTAssertEqual(published.map(\.uri), ["http://orders/1"])
    /// ```
    public var published: [PublishedMessage] {
        get async throws {
            guard let broker = try publishingBroker() else { return [] }
            return try await PublishedMessage.read(broker.publications)
        }
    }

    /// The messages published to `topicArn`, oldest first (see ``published``).
    public func published(to topicArn: String) async throws -> [PublishedMessage] {
        try await published.filter { $0.topicArn == topicArn }
    }

    /// Waits until at least `count` messages have been published, then returns them all; for code
    /// that publishes from other tasks (a daemon's handlers). Checks every millisecond of real time.
    ///
    /// Throws ``PubSubTestingError`` when `timeout` passes first, listing what was published.
    ///
    /// ```swift
    /// let worker = Task { try await shipNextOrder(graph) }   // publishes OrderShipped when done
    /// let published = try await graph.waitForPublished(count: 1)
    /// XCTAssertEqual(published.map(\.mediaType), [OrderShipped.mediaType])
    /// ```
    @discardableResult
    public func waitForPublished(count: Int, timeout: Duration = .seconds(5)) async throws -> [PublishedMessage] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let messages = try await published
            if messages.count >= count { return messages }
            guard clock.now < deadline else {
                throw PubSubTestingError.timedOut(graph: metadata.name, count: count, timeout: timeout, published: messages)
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Forgets what was published so far, so a test can look only at what its action publishes.
    ///
    /// ```swift
    /// try await seedOrders(graph)          // publishes too
    /// try await graph.clearPublished()
    /// try await shipOrder(graph)
    /// await XCTAssertPublished(graph, [.message(OrderShipped(uri: "http://orders/1", carrier: "ups"))])
    /// ```
    public func clearPublished() async throws {
        try await publishingBroker()?.clearPublications()
    }

    /// The broker that saw what `sns_client` published; nil when no `sns_client` was made, so
    /// nothing can have been published.
    private func publishingBroker() throws -> InMemoryBroker? {
        guard isCreated(BindingKey.snsClient.name) else {
            let records = isCreated(BindingKey.pubsubBroker.name) ? try pubsubBroker.recordsPublications : metadata.testing
            guard records else { throw PubSubTestingError.notRecording(graph: metadata.name) }
            return nil
        }
        guard let sns = try snsClient as? InMemorySNS else { throw PubSubTestingError.notThroughBroker(graph: metadata.name) }
        guard sns.broker.recordsPublications else { throw PubSubTestingError.notRecording(graph: metadata.name) }
        return sns.broker
    }
}

extension PublishedMessage {
    /// Reads each publication, naming the first that is not a pubsub message.
    static func read(_ publications: [BrokerPublication]) throws(PubSubTestingError) -> [PublishedMessage] {
        var messages: [PublishedMessage] = []
        messages.reserveCapacity(publications.count)
        for (index, publication) in publications.enumerated() {
            do {
                messages.append(try PublishedMessage(publication))
            } catch {
                throw .unreadable(index: index, topicArn: publication.topicArn, error)
            }
        }
        return messages
    }
}
