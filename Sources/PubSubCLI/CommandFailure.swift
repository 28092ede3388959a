import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

/// How a failed command ends: its exit status and the one line it writes to standard error.
///
/// | failure | status | line |
/// |---|---|---|
/// | ``UsageError`` | 64 | `sns-produce: --count needs a whole number from 1 to 10000, got 'x' (see --help)` |
/// | configuration (found before any request) | 64 | `sqs-consume: config 'sqs_consumer.limit' (from PUBSUB__SQS_CONSUMER__LIMIT): expected int, got string "ten"` |
/// | `AWSError` | 1 | `sns-produce: AWS error NotFound: Topic does not exist (SNS Publish, topic 'arn:...')` |
/// | anything else (credentials, network, a file that cannot be read) | 1 | `sqs-consume: connection failed for http://127.0.0.1:1/: ...` |
///
/// Configuration failures are `ConfigurationError`s (settings file, `PUBSUB__...` variables),
/// `AWSConfigError`s (region, endpoint, profile, `AWS_...` variables), `SQSConsumerError`s other
/// than an unreadable source, and `RequestValidationError`s (parameters SNS or SQS would refuse).
///
/// Errors that wrap another (a graph factory's, a failed publish's) are reported as the error they
/// wrap, which names the config key, variable or AWS code. No line holds a credential: the AWS
/// layer's errors never do.
struct CommandFailure: Sendable {
    /// The exit status of every failure but a usage or configuration error.
    static let failureStatus: Int32 = 1

    /// The process's exit status.
    let status: Int32
    /// The line for standard error.
    let line: String

    /// The failure of `command` because of `error`; `subject` names what the command was working
    /// on (`topic 'arn:...'`), for AWS errors.
    init(_ error: any Error, command: String, subject: String) {
        let cause = CommandFailure.cause(of: error)
        switch cause {
        case let usage as UsageError:
            status = UsageError.exitStatus
            line = CommandFailure.oneLine(usage.description)
        case is ConfigurationError, is AWSConfigError, is RequestValidationError:
            status = UsageError.exitStatus
            line = CommandFailure.oneLine("\(command): \(cause)")
        case let consumer as SQSConsumerError where consumer.code != .unreadableSource:
            status = UsageError.exitStatus
            line = CommandFailure.oneLine("\(command): \(consumer)")
        case let aws as AWSError:
            status = CommandFailure.failureStatus
            let operation = [aws.service, aws.action].compactMap { $0 }.joined(separator: " ")
            let context = (operation.isEmpty ? [] : [operation]) + [subject]
            let message = aws.message.isEmpty ? "" : ": " + aws.message
            line = CommandFailure.oneLine("\(command): AWS error \(aws.code)\(message) (\(context.joined(separator: ", ")))")
        case let credentials as CredentialError:
            status = CommandFailure.failureStatus
            line = CommandFailure.oneLine("\(command): cannot get AWS credentials: \(credentials)")
        default:
            status = CommandFailure.failureStatus
            line = CommandFailure.oneLine("\(command): \(cause)")
        }
    }

    /// The error `error` reports: what a graph factory or a publish threw.
    static func cause(of error: any Error) -> any Error {
        if let graphError = error as? GraphError, let underlying = graphError.underlying { return cause(of: underlying) }
        if let producerError = error as? SNSProducerError, producerError.code == .publishFailed, let underlying = producerError.underlying {
            return cause(of: underlying)
        }
        return error
    }

    /// `text` on one line: a list over several lines (`2 configuration problems:` then `  - ...`)
    /// becomes `2 configuration problems: ...; ...`.
    static func oneLine(_ text: String) -> String {
        let parts = text.split(whereSeparator: \.isNewline).map { line -> String in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("- ") ? String(trimmed.dropFirst(2)) : trimmed
        }.filter { !$0.isEmpty }
        guard parts.count > 1 else { return parts.first ?? text }
        return parts[0] + " " + parts.dropFirst().joined(separator: "; ")
    }
}
