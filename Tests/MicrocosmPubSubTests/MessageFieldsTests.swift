import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// Message fields and opaque data from ordinary Swift values, and snake_case property names.
final class MessageFieldsTests: XCTestCase {
    private struct Payment: Encodable {
        var uri: String
        var amount: Double
        var paidAt: Date
        var cardLast4: String?
    }

    /// A typed message with camelCase properties and no CodingKeys.
    private struct OrderPaid: PubSubMessage, Equatable {
        static let mediaType: MediaType = "application/vnd.globality.pubsub._.paid.order"
        var uri: String
        var amountDue: Double
        var paidAt: Date
    }

    private let paidAt = Date(timeIntervalSince1970: 1795960765.42)

    private func made(_ body: (DeferredProducer) throws -> Void) async throws -> [String] {
        let graph = try ProducerTesting.graph()
        let producer = try ProducerTesting.producer(graph)
        try producer.schemaRegistry.register(PubSubMessageSchema.dynamic, for: "application/vnd.globality.pubsub._.noted.order")
        return try await ProducerTesting.made(by: producer, body).map(\.message)
    }

    func testProduce_fieldsFromSwiftVariables() async throws {
        let status = "shipped", uri = "http://orders/1"
        let messages = try await made { producer in
            try producer.produce(.changed("Order"), ["field_name": "status", "new_value": status], uri: uri)
        }
        XCTAssertEqual(messages, [#"{"mediaType": "application/vnd.globality.pubsub._.changed.order", "opaqueData": "#
            + #"{"x-request-published": "1795960760.3517253"}, "uri": "http://orders/1", "field_name": "status", "new_value": "shipped"}"#])
    }

    func testProduce_numbersBoolsDatesArraysDictionariesAndOptionals_asPythonWritesThem() async throws {
        let amount = 12.5, count = 3, paid = true
        let note: String? = nil
        let messages = try await made { producer in
            try producer.produce("application/vnd.globality.pubsub._.noted.order",
                                 ["amount": amount, "count": count, "paid": paid, "paid_at": paidAt, "tags": ["a", "b"],
                                  "totals": ["eur": 1.5], "note": note], uri: "http://orders/1")
        }
        XCTAssertEqual(messages, [#"{"mediaType": "application/vnd.globality.pubsub._.noted.order", "opaqueData": "#
            + #"{"x-request-published": "1795960760.3517253"}, "amount": 12.5, "count": 3, "note": null, "paid": true, "#
            + #""paid_at": "2026-11-29T13:59:25.420000+00:00", "tags": ["a", "b"], "totals": {"eur": 1.5}, "uri": "http://orders/1"}"#])
    }

    func testProduce_anEncodableStructAsFields_propertyNamesInSnakeCase() async throws {
        let messages = try await made { producer in
            try producer.produce("application/vnd.globality.pubsub._.noted.order",
                                 Payment(uri: "http://orders/1", amount: 2, paidAt: paidAt, cardLast4: "4242"))
        }
        XCTAssertEqual(messages, [#"{"mediaType": "application/vnd.globality.pubsub._.noted.order", "opaqueData": "#
            + #"{"x-request-published": "1795960760.3517253"}, "uri": "http://orders/1", "amount": 2.0, "#
            + #""paid_at": "2026-11-29T13:59:25.420000+00:00", "card_last4": "4242"}"#])
    }

    func testProduce_opaqueDataFromVariables_inTheGivenOrder() async throws {
        let requestId = "req-9", attempt = 2
        let messages = try await made { producer in
            try producer.produce(.created("Order"), uri: "http://orders/1", opaqueData: ["X-Request-Id": requestId, "Attempt": attempt])
        }
        XCTAssertEqual(messages, [#"{"mediaType": "application/vnd.globality.pubsub._.created.order", "opaqueData": "#
            + #"{"x-request-id": "req-9", "attempt": 2, "x-request-published": "1795960760.3517253"}, "uri": "http://orders/1"}"#])
    }

    func testProduce_jsonObjectContent_stillAccepted() async throws {
        let content: JSONObject = ["field_name": "status", "new_value": ["nested": [1, "two"]]]
        let messages = try await made { producer in
            try producer.produce("application/vnd.globality.pubsub._.noted.order", content, uri: "http://orders/1")
            try producer.produce("application/vnd.globality.pubsub._.noted.order", ["field_name": "status", "new_value": ["nested": [1, "two"]]],
                                 uri: "http://orders/1")
        }
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages[0], messages[1])
        XCTAssertTrue(messages[0].hasSuffix(#""new_value": {"nested": [1, "two"]}, "uri": "http://orders/1"}"#), messages[0])
    }

    func testProduce_aDateOutsidePythonsRange_isAnErrorNamingTheField() async throws {
        do {
            _ = try await made { producer in
                try producer.produce(.changed("Order"), ["field_name": "due", "new_value": Date.distantFuture.addingTimeInterval(1e12)],
                                     uri: "http://orders/1")
            }
            XCTFail("expected an error")
        } catch let error as PubSubMessageError {
            XCTAssertEqual(error.field, "new_value")
            XCTAssertTrue("\(error)".contains("cannot encode message of media type 'application/vnd.globality.pubsub._.changed.order': "
                                               + "field 'new_value'"), "\(error)")
        }
    }

    func testTypedMessage_camelCasePropertiesGoOutInSnakeCase_andComeBack() throws {
        let registry = PubSubMessageSchemaRegistry()
        let paid = OrderPaid(uri: "http://orders/1", amountDue: 3.5, paidAt: paidAt)
        let text = try registry.encode(paid)
        XCTAssertEqual(text, #"{"mediaType": "application/vnd.globality.pubsub._.paid.order", "uri": "http://orders/1", "#
            + #""amount_due": 3.5, "paid_at": "2026-11-29T13:59:25.420000+00:00"}"#)
        XCTAssertEqual(try registry.decode(text).decode(OrderPaid.self), paid)
    }
}
