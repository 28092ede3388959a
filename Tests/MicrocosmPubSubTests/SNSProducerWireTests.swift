import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The producer writes, byte for byte, what microcosm-pubsub 3.0.0 wrote for the same input: the
/// golden fixtures are replayed with the clock set to the times Python read.
final class SNSProducerWireTests: XCTestCase {
    private let opaque: OpaqueValues = ["X-Request-Id": "req-123"]

    /// The inputs scripts/make-wire-fixtures gives Python's `producer.produce`, by media type.
    private func pythonInputs() -> [MediaType: (SNSProducer) async throws -> Void] {
        let opaque = opaque
        return [
            .created("FooBar"): { try await $0.produce(.created("FooBar"), uri: "http://example.com/foo_bars/1", opaqueData: opaque) },
            .changed("FooBar"): {
                try await $0.produce(.changed("FooBar"), ["field_name": "state", "new_value": "done"], uri: "http://example.com/foo_bars/1",
                                     opaqueData: opaque)
            },
            .deleted("FooBar"): { try await $0.produce(.deleted("FooBar"), ["id": "1"], opaqueData: opaque) },
            .created("FooBar", organization: "acme", public: true): {
                try await $0.produce(.created("FooBar", organization: "acme", public: true), uri: "http://example.com/foo_bars/2",
                                     opaqueData: opaque)
            },
            ThingAnnounced.mediaType: { try await $0.produce(ThingAnnounced.published, opaqueData: opaque) },
        ]
    }

    /// Produces every message of `file` from its input, with Python's clock, and compares topic,
    /// `media_type` attribute and the exact message text.
    private func assertReproduces(_ file: JSONValue, count: Int, file path: StaticString = #filePath, line: UInt = #line) async throws {
        let received = try WireFixtures.received(file)
        XCTAssertEqual(received.count, count, file: path, line: line)
        let firstBody = try XCTUnwrap(file["messages"]?.arrayValue?.first?["Body"]?.stringValue)
        let topicArn = try XCTUnwrap(try JSONParser.parse(firstBody)["TopicArn"]?.stringValue)
        let inputs = pythonInputs()
        for fixture in received {
            let expected = try JSONParser.parse(fixture.message)
            let mediaType = MediaType(try XCTUnwrap(expected["mediaType"]?.stringValue))
            let time = try XCTUnwrap(expected["opaqueData"]?["x-request-published"]?.stringValue.flatMap(Double.init))
            let graph = try ProducerTesting.graph(config: ["sns_topic_arns": ["default": .string(topicArn)]])
            try await ProducerTesting.createTopics(graph, [topicArn])
            let produce = try XCTUnwrap(inputs[mediaType], "no input for \(mediaType)", file: path, line: line)
            try await produce(try ProducerTesting.producer(graph, now: { time }))

            let published = try await ProducerTesting.publications(graph)
            XCTAssertEqual(published.count, 1, file: path, line: line)
            XCTAssertEqual(published.first?.topicArn, topicArn, file: path, line: line)
            XCTAssertEqual(published.first?.messageAttributes["media_type"]?.stringValue, fixture.mediaTypeAttribute, file: path, line: line)
            XCTAssertEqual(published.first?.message, fixture.message, "\(mediaType)", file: path, line: line)
        }
    }

    func testProduce_writesTheBytesOfOurPythonFixtures() async throws {
        try await assertReproduces(try WireFixtures.ownFile("microcosm-pubsub-3.0.0-wrapped.json"), count: 5)
    }

    func testProduce_writesTheBytesOfTheSharedPythonFixtures() async throws {
        try await assertReproduces(try WireFixtures.sharedFile("microcosm-pubsub-3.0.0-via-moto.json"), count: 3)
    }
}
