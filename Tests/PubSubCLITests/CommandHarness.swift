import Foundation
import Microcosm
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import PubSubCLI
import Synchronization

/// Runs the commands in process, with captured output, a fixed clock, a chosen environment and one
/// in-memory broker shared by every run (commands given `--endpoint-url memory://` use it), so a
/// test can produce with one command and consume with the next.
struct CommandHarness: Sendable {
    /// The broker every run's graph uses.
    let broker = InMemoryBroker(recordsPublications: true)
    /// The environment configuration is read from (the host's is not used).
    var environment: [String: String] = [:]
    /// What the commands read as the time.
    var now: Double = 1_700_000_000.25

    func produce(_ arguments: [String]) async -> CommandResult {
        await run(arguments, SNSProduceCommand.main)
    }

    func consume(_ arguments: [String]) async -> CommandResult {
        await run(arguments, SQSConsumeCommand.main)
    }

    private func run(_ arguments: [String], _ main: ([String], CommandContext) async -> Int32) async -> CommandResult {
        let captured = Mutex((standardOutput: "", standardError: ""))
        let output = CommandOutput(standardOutput: { text in captured.withLock { $0.standardOutput += text + "\n" } },
                                   standardError: { text in captured.withLock { $0.standardError += text + "\n" } })
        let broker = broker
        let now = now
        let context = CommandContext(output: output, environment: environment, now: { now }) { graph in
            graph.assign(.pubsubBroker, broker)
        }
        let status = await main(arguments, context)
        return captured.withLock { CommandResult(status: status, standardOutput: $0.standardOutput, standardError: $0.standardError) }
    }

    /// A topic and a queue subscribed to it on the broker (SNS's envelope unless `raw`).
    func subscribedQueue(_ name: String, raw: Bool = false) async throws -> (topicArn: String, queueURL: String) {
        let topicArn = try await broker.sns.createTopic(name: name, attributes: [:])
        let queueURL = try await broker.sqs.createQueue(name: name, attributes: [:])
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: name),
                                           attributes: raw ? ["RawMessageDelivery": "true"] : [:])
        return (topicArn, queueURL)
    }
}
