#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// What a process asked of SQS and SNS: requests by action (retries included), the request units
/// AWS bills (one per 64 KiB chunk of payload), receives that came back empty, and messages
/// received and sent, with the figures an operator reads off them.
///
/// An ``AWSUsageMeter`` keeps one; the graph's clients count into the graph's meter
/// (`graph.awsUsageMeter`), and a daemon prints it when it stops and serves it on `/api/cost`.
///
/// ```swift
/// let usage = try graph.awsUsageMeter.usage
/// print(usage.callsPerMessage ?? 0, usage.emptyReceiveRatio ?? 0, usage.costPerMillionMessages() ?? 0)
/// ```
public struct AWSUsage: Sendable, Hashable, CustomStringConvertible {
    /// One action of one billing class: `SQS ReceiveMessage`, `SNS FIFO Publish`.
    public struct Operation: Hashable, Comparable, Sendable, CustomStringConvertible {
        /// What the requests are priced as.
        public var billingClass: AWSBillingClass
        /// The API action, as AWS names it (`DeleteMessageBatch`).
        public var action: String

        public init(_ billingClass: AWSBillingClass, _ action: String) {
            self.billingClass = billingClass
            self.action = action
        }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.billingClass.rawValue, lhs.action) < (rhs.billingClass.rawValue, rhs.action)
        }

        public var description: String { "\(billingClass) \(action)" }
    }

    /// Requests of one operation.
    public struct Requests: Hashable, Sendable {
        /// Requests sent (each retry is one more).
        public var calls = 0
        /// What AWS bills them as: one per 64 KiB chunk of each request's payload, at least one per request.
        public var units = 0

        public init(calls: Int = 0, units: Int = 0) {
            self.calls = calls
            self.units = units
        }
    }

    /// The size of the chunk AWS bills as one request: 64 KiB.
    public static let billedChunkBytes = 65_536

    /// Requests by operation.
    public var operations: [Operation: Requests] = [:]
    /// ReceiveMessage calls that were answered.
    public var receives = 0
    /// ReceiveMessage calls answered with no message.
    public var emptyReceives = 0
    /// Messages received from SQS.
    public var messagesReceived = 0
    /// Messages SNS or SQS accepted from Publish, PublishBatch, SendMessage and SendMessageBatch.
    public var messagesSent = 0

    /// No requests.
    public init() {}

    /// Requests sent, retries included.
    public var calls: Int { operations.values.reduce(0) { $0 + $1.calls } }

    /// Requests as AWS bills them.
    public var requestUnits: Int { operations.values.reduce(0) { $0 + $1.units } }

    /// The messages the figures are per: those received, or those sent when none was received (a producer).
    public var messages: Int { messagesReceived > 0 ? messagesReceived : messagesSent }

    /// Requests per message (``calls`` / ``messages``); nil with no messages.
    public var callsPerMessage: Double? {
        messages > 0 ? Double(calls) / Double(messages) : nil
    }

    /// The share of receives that came back empty, 0...1; nil with no receives.
    public var emptyReceiveRatio: Double? {
        receives > 0 ? Double(emptyReceives) / Double(receives) : nil
    }

    /// The request units of `billingClass` summed over its actions.
    public func requestUnits(of billingClass: AWSBillingClass) -> Int {
        operations.reduce(0) { $0 + ($1.key.billingClass == billingClass ? $1.value.units : 0) }
    }

    /// What the requests cost at `prices`, in US dollars (request units times their class's price; no free tier).
    public func estimatedCost(prices: AWSRequestPrices = .published) -> Double {
        operations.reduce(0) { $0 + Double($1.value.units) * prices.price(of: $1.key.billingClass) }
    }

    /// ``estimatedCost(prices:)`` per million ``messages``, in US dollars; nil with no messages.
    public func costPerMillionMessages(prices: AWSRequestPrices = .published) -> Double? {
        messages > 0 ? estimatedCost(prices: prices) / Double(messages) * 1_000_000 : nil
    }

    /// The requests billed for `payloadBytes` of payload: one per 64 KiB chunk, at least one.
    public static func requestUnits(payloadBytes: Int) -> Int {
        max(1, (payloadBytes + billedChunkBytes - 1) / billedChunkBytes)
    }

    /// The payload of received `messages` as AWS bills it: bodies and message attributes.
    public static func payloadBytes(of messages: [SQSMessage]) -> Int {
        messages.reduce(0) { $0 + $1.body.utf8.count + RequestValidation.attributesSize($1.messageAttributes) }
    }

    /// The payload of one published message as AWS bills it: message, subject and message attributes.
    public static func payloadBytes(message: String, subject: String?, attributes: [String: MessageAttributeValue]) -> Int {
        message.utf8.count + (subject?.utf8.count ?? 0) + RequestValidation.attributesSize(attributes)
    }

    /// What was asked since `earlier` (a snapshot of the same meter).
    public func since(_ earlier: AWSUsage) -> AWSUsage {
        var difference = self
        for (operation, requests) in earlier.operations {
            var now = difference.operations[operation] ?? Requests()
            now.calls -= requests.calls
            now.units -= requests.units
            difference.operations[operation] = now.calls == 0 && now.units == 0 ? nil : now
        }
        difference.receives -= earlier.receives
        difference.emptyReceives -= earlier.emptyReceives
        difference.messagesReceived -= earlier.messagesReceived
        difference.messagesSent -= earlier.messagesSent
        return difference
    }

    /// One line: `120 messages received, 0 sent; 26 calls (SQS DeleteMessageBatch 12, SQS ReceiveMessage 14),
    /// 26 request units; 0.22 calls per message; empty receives 2 of 14 (14.3%); $0.087 per million messages
    /// (us-east-1 list prices of 2026-06, free tier ignored)`.
    public var description: String { description(prices: .published) }

    /// ``description`` with the cost at `prices`.
    public func description(prices: AWSRequestPrices) -> String {
        let byOperation = operations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.calls)" }.joined(separator: ", ")
        var text = "\(messagesReceived) messages received, \(messagesSent) sent; \(calls) calls"
            + (byOperation.isEmpty ? "" : " (\(byOperation))") + ", \(requestUnits) request units"
        if let callsPerMessage { text += "; " + AWSUsage.format(callsPerMessage, places: 2) + " calls per message" }
        if let emptyReceiveRatio {
            text += "; empty receives \(emptyReceives) of \(receives) (" + AWSUsage.format(emptyReceiveRatio * 100, places: 1) + "%)"
        }
        if let cost = costPerMillionMessages(prices: prices) {
            text += "; $" + AWSUsage.format(cost, places: 3) + " per million messages"
                + " (\(prices.region) list prices of \(prices.asOf), free tier ignored)"
        }
        return text
    }

    /// `value` with `places` decimals, `.` as separator whatever the locale.
    static func format(_ value: Double, places: Int) -> String {
        formatDecimal(value, places: places)
    }
}
