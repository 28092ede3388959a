#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

/// What a daemon learns about its queue before the loop starts.
enum ConsumerDaemonQueue {
    /// The queue name a testing daemon called `service` reads: its name, with characters SQS does
    /// not allow in queue names as `-`.
    static func name(for service: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        let name = String(service.map { allowed.contains($0) ? $0 : "-" }.prefix(80))
        return name.isEmpty ? "consumer-daemon" : name
    }

    /// The attributes of the consumer's queue, read once at start-up (the SQS client retries as it
    /// always does); nil when the source is not a queue or the queue cannot be read yet (the loop
    /// then reads them in the background, with leases of the configured or default length
    /// meanwhile).
    ///
    /// Throws ``ConsumerDaemonError`` when the queue does not exist.
    static func startUpAttributes(of consumer: SQSConsumer) async throws -> ConsumerQueueAttributes? {
        guard let queueURL = consumer.queueURL else { return nil }
        do {
            return try await ConsumerQueueAttributes.read(of: consumer)
        } catch let error as AWSError where error.code == .queueDoesNotExist {
            throw ConsumerDaemonError.queueDoesNotExist(queueURL, underlying: error)
        } catch {
            return nil
        }
    }
}
