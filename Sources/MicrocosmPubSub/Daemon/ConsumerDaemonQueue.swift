import Foundation
import Microcosm
import MicrocosmAWS

/// What a daemon learns about its queue before the loop starts.
enum ConsumerDaemonQueue {
    /// The codes SQS answers for a queue that does not exist (JSON and query protocols).
    static let nonExistentCodes: Set<String> = ["AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"]

    /// The queue name a testing daemon called `service` reads: its name, with characters SQS does
    /// not allow in queue names as `-`.
    static func name(for service: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        let name = String(service.map { allowed.contains($0) ? $0 : "-" }.prefix(80))
        return name.isEmpty ? "consumer-daemon" : name
    }

    /// The in-memory broker's clock when `consumer` reads the in-memory broker; else the wall clock.
    static func clock(of consumer: SQSConsumer) -> any BrokerClock {
        if case .queue(_, let client as InMemorySQS) = consumer.source.kind { return client.broker.clock }
        return SystemBrokerClock()
    }

    /// The event loop of the graph's `CurlTransport` when `consumer` reads SQS through it (the
    /// graph has built `sqs_client` and `aws_transport` for it); else nil.
    static func ioExecutor(of consumer: SQSConsumer, graph: Graph) throws -> (any TaskExecutor)? {
        guard case .queue(_, let client) = consumer.source.kind, client is SQSClient, graph.isCreated(BindingKey.awsTransport.name),
              let transport = try graph.awsTransport as? CurlTransport else { return nil }
        return transport.executor
    }

    /// Creates the consumer's queue in the in-memory broker (testing, `endpoint_url: memory://`)
    /// when it is not there: nothing else would, in a daemon that runs on its own.
    static func createIfEmbedded(_ consumer: SQSConsumer, logger: Logger) async throws {
        guard case .queue(let url, let client as InMemorySQS) = consumer.source.kind,
              let name = url.split(separator: "/").last.map(String.init) else { return }
        do {
            _ = try await client.getQueueURL(queueName: name)
        } catch let error as AWSError where nonExistentCodes.contains(error.code) {
            _ = try await client.createQueue(name: name, attributes: name.hasSuffix(".fifo") ? ["FifoQueue": "true"] : [:])
            logger.info("created queue '\(name)' in the in-memory broker")
        }
    }

    /// How long the consumer's messages stay invisible after a receive: the consumer's
    /// `visibility_timeout_seconds`, else the queue's `VisibilityTimeout` attribute; nil when the
    /// source is not a queue, no heartbeat is wanted, or the attribute cannot be read (logged:
    /// the daemon then runs without a heartbeat).
    ///
    /// Retryable errors are tried again a few times. Throws ``ConsumerDaemonError`` when the queue
    /// does not exist.
    static func visibilityTimeout(of consumer: SQSConsumer, settings: ConsumerDaemonSettings, logger: Logger) async throws -> Int? {
        if let configured = consumer.visibilityTimeout { return configured }
        guard let queueURL = consumer.queueURL, settings.heartbeatInterval != .zero else { return nil }
        var attempt = 1
        while true {
            do {
                return try await ConsumerLoop.queueVisibilityTimeout(of: consumer)
            } catch let error as AWSError where nonExistentCodes.contains(error.code) {
                throw ConsumerDaemonError.queueDoesNotExist(queueURL, underlying: error)
            } catch {
                let retryable = RetryPolicy().isRetryable(error) && attempt < settings.acknowledgementAttempts && !Task.isCancelled
                guard retryable else {
                    logger.warning("cannot read the VisibilityTimeout of queue '\(queueURL)', so no visibility heartbeat will keep "
                                       + "long-running messages invisible (set sqs_consumer.visibility_timeout_seconds): \(error)")
                    return nil
                }
                let pause = settings.backoff(afterFailures: attempt)
                logger.warning("cannot read the VisibilityTimeout of queue '\(queueURL)' (attempt \(attempt)); trying again: \(error)")
                try? await Task.sleep(for: pause)
                attempt += 1
            }
        }
    }
}
