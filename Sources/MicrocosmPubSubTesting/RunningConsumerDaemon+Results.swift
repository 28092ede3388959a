import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// Waiting for what a daemon started in a test has handled.
extension RunningConsumerDaemon {
    /// Waits until the daemon has handled at least `count` messages, then returns the results of
    /// the first `count`, in the order handling ended (what they publish may be handled later, and
    /// ask again with a higher count to see it): for handlers that publish nothing,
    /// which ``Microcosm/Graph/waitForPublished(count:timeout:)`` cannot wait for. Checks every
    /// millisecond of real time.
    ///
    /// With `mediaType`, only the results of messages of that media type count: a handler that
    /// publishes a follow-up the daemon also receives may see the follow-up's result end first.
    ///
    /// Throws ``PubSubTestingError`` when `timeout` passes first (listing the results so far), or
    /// when the daemon keeps no results: only a testing daemon (`--testing`) does.
    ///
    /// ```swift
    /// let daemon = try await OrdersDaemon().start(arguments: ["--testing"], environment: environment)
    /// try await daemon.graph.snsProducer.produce(OrderShipped(uri: "http://orders/1", carrier: "ups"))
    /// let results = try await daemon.waitForResults(count: 1, of: OrderShipped.mediaType)
    /// XCTAssertEqual(results.map(\.kind), [.succeeded])
    /// ```
    @discardableResult
    public func waitForResults(count: Int, of mediaType: MediaType? = nil,
                               timeout: Duration = .seconds(5)) async throws -> [MessageHandlingResult] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            guard var results = handledResults else { throw PubSubTestingError.notRecording(daemon: graph.metadata.name) }
            if let mediaType { results = results.filter { $0.mediaType == mediaType } }
            if results.count >= count { return Array(results.prefix(count)) }
            guard clock.now < deadline else {
                throw PubSubTestingError.timedOut(daemon: graph.metadata.name, count: count, timeout: timeout, results: results)
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
