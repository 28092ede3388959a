import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

extension ServiceTool {
    /// `dlq inspect` and `dlq replay`: look into the service's dead-letter queue (each message
    /// received once and handed back; why it fails today) and move its messages back.
    ///
    /// ```
    /// orders-daemon dlq inspect --endpoint-url http://localhost:5000
    /// orders-daemon dlq replay --dry-run --from dead-letters.jsonl
    /// pubsub dlq replay --service orders-daemon --handles application/vnd.acme.created.order
    /// ```
    public static let deadLetter = ServiceTool(name: "dlq", summary: "Look into the dead-letter queue and move its messages back "
                                                   + "(inspect, replay).") { invocation in
        await DeadLetterTool(invocation: invocation).run()
    }
}

/// Runs `dlq` for one invocation.
struct DeadLetterTool {
    let invocation: ServiceToolInvocation

    func run() async -> Int32 {
        let options: DeadLetterOptions
        do {
            options = try DeadLetterOptions.parse(invocation.arguments, command: invocation.command)
        } catch {
            invocation.errorOutput(error.description)
            return UsageError.exitStatus
        }
        let command = "\(invocation.command) \(options.action.rawValue)"
        if options.wantsHelp {
            invocation.output(invocation.arguments.first.flatMap(DeadLetterOptions.Action.init(rawValue:)) == nil
                              ? DeadLetterOptions.help(command: invocation.command)
                              : DeadLetterOptions.commandLineInterface(options.action, command: invocation.command).help)
            return 0
        }
        let graph: Graph
        let dispatcher: SQSMessageDispatcher
        do {
            graph = try invocation.daemon.createGraph(options.daemon, environment: invocation.environment)
            try await invocation.prepareGraph(graph)
            dispatcher = try graph.sqsMessageDispatcher   // builds the handlers and registers their schemas
        } catch {
            invocation.errorOutput("\(command): \(error)")
            return UsageError.exitStatus
        }
        do {
            return try await run(options, graph: graph, dispatcher: dispatcher)
        } catch let error as DeadLetterToolError {
            invocation.errorOutput("\(command): \(error)")
            return error.isUsage ? UsageError.exitStatus : 1
        } catch {
            invocation.errorOutput("\(command): \(error)")
            return 1
        }
    }

    private func run(_ options: DeadLetterOptions, graph: Graph, dispatcher: SQSMessageDispatcher) async throws -> Int32 {
        let envelope = try graph.sqsEnvelope
        if let file = options.file {
            var reader = DeadLetterReader(source: try .file(at: file), envelope: envelope)
            let messages = try await reader.readAll(max: options.max).messages.filter { options.includes($0) }
            report(messages, dispatcher: dispatcher, destination: nil, header: ["\(Self.messages(messages.count)) in \(file)"])
            return 0
        }
        let client = try graph.sqsClient
        let source = try graph.sqsConsumer.source
        if options.deadLetterQueueURL == nil, source.queueURL == nil {
            if case .unconfigured = source.kind { throw DeadLetterToolError.noServiceQueue }
            throw DeadLetterToolError.notAQueue("\(source)")
        }
        let queues = try await DeadLetterQueues.resolve(deadLetterURL: options.deadLetterQueueURL, serviceURL: source.queueURL,
                                                        destinationURL: options.destinationURL, client: client)
        if queues.furtherRedrive != nil && !options.allowsFurtherRedrive { throw DeadLetterToolError.furtherRedrive(queues) }
        var reader = DeadLetterReader(source: .queue(queues.deadLetterURL, client: client), envelope: envelope)
        if options.action == .replay && !options.dryRun {
            return try await replay(options, queues: queues, reader: &reader, client: client)
        }
        let read = try await reader.readAll(max: options.max)
        let messages = read.messages.filter { options.includes($0) }
        let failures = await reader.handBack(read.messages + read.again)
        var header = ["dead-letter queue \(queues.deadLetterURL)" + (queues.sourceRedrive.map { policy in
            " (RedrivePolicy of \(source.queueURL ?? "?")" + (policy.maxReceiveCount.map { ", after \($0) receives" } ?? "") + ")"
        } ?? "")]
        header.append("\(Self.messages(read.messages.count)) read, each received once and handed back"
                      + (queues.approximateCount.map { " (SQS counted about \($0) before)" } ?? ""))
        if !options.mediaTypes.isEmpty { header.append("\(messages.count) of them of the media types asked for") }
        report(messages, dispatcher: dispatcher, destination: options.action == .replay ? queues.destinationURL ?? "(no queue: --to)" : nil,
               header: header)
        for failure in failures { invocation.errorOutput("\(invocation.command) \(options.action.rawValue): could not hand back \(failure)") }
        return failures.isEmpty ? 0 : 1
    }

    /// Prints the inspection (or, with a `destination`, the dry run) of `messages`.
    private func report(_ messages: [ConsumedMessage], dispatcher: SQSMessageDispatcher, destination: String?, header: [String]) {
        let inspection = DeadLetterInspection(entries: messages.map { .init(message: $0, verdict: DeadLetterVerdict($0, dispatcher: dispatcher)) },
                                              now: SNSProducer.systemTime() * 1000)
        var lines = header
        if !messages.isEmpty { lines += inspection.summary }
        lines.append(destination.map { "messages (each would move to \($0), then):" } ?? "messages:")
        lines += inspection.messages
        invocation.output(lines.joined(separator: "\n"))
    }

    private func replay(_ options: DeadLetterOptions, queues: DeadLetterQueues, reader: inout DeadLetterReader,
                        client: any SQSAPI) async throws -> Int32 {
        guard let destination = queues.destinationURL else { throw DeadLetterToolError.noDestination }
        let command = "\(invocation.command) replay"
        var replay: DeadLetterReplay?
        var method = "receive, send, delete"
        if options.max == nil, options.mediaTypes.isEmpty, let mover = client as? any SQSMessageMoveAPI {
            let attributes = try await client.getQueueAttributes(queueURL: destination, names: ["QueueArn"])
            guard let destinationArn = attributes["QueueArn"] else { throw DeadLetterToolError.noQueueArn(destination) }
            let handle: String?
            do {
                handle = try await mover.startMessageMoveTask(sourceArn: queues.deadLetterArn, destinationArn: destinationArn,
                                                              maxNumberOfMessagesPerSecond: nil)
            } catch let error as AWSError {   // SQS answered: no task started, so moving by hand moves nothing twice
                invocation.errorOutput("\(command): no message move task at this endpoint (StartMessageMoveTask: \(error.code), "
                                       + "HTTP \(error.statusCode)); moving by receive, send, delete")
                handle = nil
            }
            if let handle {
                replay = try await DeadLetterReplay.byMoveTask(handle, of: queues, client: mover)
                method = "SQS message move task"
            }
        }
        let result: DeadLetterReplay
        if let replay {
            result = replay
        } else {
            result = await DeadLetterReplay.byHand(&reader, to: destination, client: client, max: options.max, mediaTypes: options.mediaTypes)
        }
        var line = "moved \(Self.messages(result.moved)) from \(queues.deadLetterURL) to \(destination) (\(method))"
        if result.skipped > 0 { line += "; left \(result.skipped) of other media types" }
        if !result.failures.isEmpty { line += "; \(result.failures.count) failed" }
        invocation.output(line)
        for failure in result.failures { invocation.errorOutput("\(command): \(failure)") }
        return result.failures.isEmpty ? 0 : 1
    }
}

extension DeadLetterTool {
    /// `1 message`, `3 messages`.
    static func messages(_ count: Int) -> String { count == 1 ? "1 message" : "\(count) messages" }
}

extension DeadLetterOptions {
    /// True when `message` passes the `--media-type` filter.
    func includes(_ message: ConsumedMessage) -> Bool {
        mediaTypes.isEmpty || message.mediaType.map(mediaTypes.contains) == true
    }
}
