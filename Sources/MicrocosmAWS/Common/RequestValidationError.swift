/// A request rejected before any I/O: a parameter outside what the service accepts.
///
/// ```
/// SQS ReceiveMessage: MaxNumberOfMessages must be between 1 and 10, got 11
/// ```
public struct RequestValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `SQS` or `SNS`.
    public let service: String
    /// The API action.
    public let action: String
    /// The parameter at fault, named as the API names it.
    public let parameter: String
    /// What is wrong.
    public let reason: String

    public init(service: String, action: String, parameter: String, reason: String) {
        self.service = service
        self.action = action
        self.parameter = parameter
        self.reason = reason
    }

    public var description: String { "\(service) \(action): \(parameter) \(reason)" }
}
