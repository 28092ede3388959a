/// A message attribute, as SNS and SQS both carry them (`DataType` plus a string or binary value).
public struct MessageAttributeValue: Sendable, Hashable, CustomStringConvertible {
    /// `String`, `Number`, `Binary`, or those with a custom suffix (`Number.float`); SNS also has `String.Array`.
    public var dataType: String
    public var stringValue: String?
    public var binaryValue: [UInt8]?

    public init(dataType: String, stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
    }

    /// A `String` attribute.
    public static func string(_ value: String) -> Self { Self(dataType: "String", stringValue: value) }

    /// A `Number` attribute.
    public static func number(_ value: String) -> Self { Self(dataType: "Number", stringValue: value) }

    /// A `Binary` attribute.
    public static func binary(_ value: [UInt8]) -> Self { Self(dataType: "Binary", binaryValue: value) }

    public var description: String {
        if let stringValue { return "\(dataType):\(stringValue)" }
        return "\(dataType):<\(binaryValue?.count ?? 0) bytes>"
    }
}
