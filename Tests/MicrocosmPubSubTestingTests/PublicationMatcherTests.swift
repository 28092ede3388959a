import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

/// The pure core of the assertions: all published messages against all expectations.
final class PublicationMatcherTests: XCTestCase {
    private let created = message(.created("Order"), ["uri": "http://orders/1"])
    private let changed = message(.changed("Order"), ["uri": "http://orders/1", "field_name": "status"])
    private let note = message(noteAdded, ["uri": "http://orders/1", "note": "fragile"], topic: auditTopic)

    // MARK: In order

    func testPublished_sameMessagesInOrder_matches() {
        let matcher = PublicationMatcher.published([.message(.created("Order")), .message(.changed("Order"), ["field_name": "status"])])
        XCTAssertNil(matcher.mismatch([created, changed]))
    }

    func testPublished_otherOrder_namesEachMessageThatDiffers() {
        let matcher = PublicationMatcher.published([.message(.created("Order")), .message(.changed("Order"))])
        XCTAssertEqual(matcher.mismatch([changed, created]), """
            published messages do not match, in order
              message 1: media type is application/vnd.globality.pubsub._.changed.order, expected application/vnd.globality.pubsub._.created.order
              message 2: media type is application/vnd.globality.pubsub._.created.order, expected application/vnd.globality.pubsub._.changed.order
            expected 2:
              1. application/vnd.globality.pubsub._.created.order
              2. application/vnd.globality.pubsub._.changed.order
            published 2:
              1. application/vnd.globality.pubsub._.changed.order {"uri": "http://orders/1", "field_name": "status"} on \(ordersTopic)
              2. application/vnd.globality.pubsub._.created.order {"uri": "http://orders/1"} on \(ordersTopic)
            """)
    }

    func testPublished_differingField_namesMessageAndField() throws {
        let matcher = PublicationMatcher.published([.message(.created("Order"), uri: "http://orders/2")])
        let mismatch = try XCTUnwrap(matcher.mismatch([created]))
        XCTAssertTrue(mismatch.contains(#"  message 1: field "uri" is "http://orders/1", expected "http://orders/2""#), mismatch)
    }

    func testPublished_moreThanExpected_namesTheExtraMessage() throws {
        let mismatch = try XCTUnwrap(PublicationMatcher.published([.message(.created("Order"))]).mismatch([created, note]))
        XCTAssertTrue(mismatch.contains("  message 2: published, not expected: \(note)"), mismatch)
        XCTAssertFalse(mismatch.contains("message 1:"), mismatch)
        XCTAssertTrue(mismatch.contains("expected 1:\n"), mismatch)
        XCTAssertTrue(mismatch.hasSuffix("published 2:\n  1. \(created)\n  2. \(note)"), mismatch)
    }

    func testPublished_fewerThanExpected_namesTheMissingExpectation() throws {
        let mismatch = try XCTUnwrap(PublicationMatcher.published([.message(.created("Order")), .message(noteAdded)]).mismatch([created]))
        XCTAssertTrue(mismatch.contains("  message 2: not published, expected \(noteAdded)"), mismatch)
    }

    func testPublished_nothingPublished_namesEveryExpectation() throws {
        let mismatch = try XCTUnwrap(PublicationMatcher.published([.message(.created("Order"))]).mismatch([]))
        XCTAssertTrue(mismatch.contains("  message 1: not published, expected application/vnd.globality.pubsub._.created.order"), mismatch)
        XCTAssertTrue(mismatch.hasSuffix("published 0:"), mismatch)
    }

    func testPublished_topicPerMessage() throws {
        XCTAssertNil(PublicationMatcher.published([.message(.created("Order"), topic: ordersTopic), .anyMessage(topic: auditTopic)])
            .mismatch([created, note]))
        let mismatch = try XCTUnwrap(PublicationMatcher.published([.anyMessage(topic: ordersTopic), .anyMessage(topic: ordersTopic)])
            .mismatch([created, note]))
        XCTAssertTrue(mismatch.contains("  message 2: topic is \(auditTopic), expected \(ordersTopic)"), mismatch)
    }

    // MARK: In any order

    func testPublishedInAnyOrder_otherOrder_matches() {
        let matcher = PublicationMatcher.publishedInAnyOrder([.message(noteAdded), .message(.changed("Order")), .message(.created("Order"))])
        XCTAssertNil(matcher.mismatch([created, changed, note]))
    }

    func testPublishedInAnyOrder_pairsEachMessageOnce() throws {
        let matcher = PublicationMatcher.publishedInAnyOrder([.message(.created("Order")), .message(.created("Order"))])
        XCTAssertNil(matcher.mismatch([created, created]))
        let mismatch = try XCTUnwrap(matcher.mismatch([created, changed]))
        XCTAssertTrue(mismatch.contains("  not published: application/vnd.globality.pubsub._.created.order\n"), mismatch)
        XCTAssertTrue(mismatch.contains("  message 2: published, not expected: \(changed)"), mismatch)
    }

    func testPublishedInAnyOrder_findsAPairingWhereFirstComeFirstServedWouldNot() {
        // Greedy pairing gives the created message to anyMessage() and leaves nothing for the second expectation.
        let matcher = PublicationMatcher.publishedInAnyOrder([.anyMessage(), .message(.created("Order"))])
        XCTAssertNil(matcher.mismatch([created, note]))
    }

    func testPublishedInAnyOrder_unmatched_showsTheClosestMessageAndHowItDiffers() {
        let matcher = PublicationMatcher.publishedInAnyOrder([.message(noteAdded, ["note": "handle with care"], topic: auditTopic),
                                                              .message(.created("Order"))])
        XCTAssertEqual(matcher.mismatch([created, changed, note]), """
            published messages do not match, in any order
              not published: \(noteAdded) with {"note": "handle with care"} on \(auditTopic)
                closest, message 3: field "note" is "fragile", expected "handle with care"
              message 2: published, not expected: \(changed)
              message 3: published, not expected: \(note)
            expected 2:
              1. \(noteAdded) with {"note": "handle with care"} on \(auditTopic)
              2. application/vnd.globality.pubsub._.created.order
            published 3:
              1. \(created)
              2. \(changed)
              3. \(note)
            """)
    }

    func testPublishedInAnyOrder_fewerThanExpected_namesWhatWasNotPublished() throws {
        let matcher = PublicationMatcher.publishedInAnyOrder([.message(.created("Order")), .message(noteAdded)])
        let mismatch = try XCTUnwrap(matcher.mismatch([created]))
        XCTAssertTrue(mismatch.contains("  not published: \(noteAdded)\nexpected 2:"), mismatch)
    }

    // MARK: Nothing

    func testPublishedNothing_nothingPublished_matches() {
        XCTAssertNil(PublicationMatcher.publishedNothing.mismatch([]))
        XCTAssertNil(PublicationMatcher.published([]).mismatch([]))
    }

    func testPublishedNothing_somethingPublished_listsIt() {
        XCTAssertEqual(PublicationMatcher.publishedNothing.mismatch([created, note]), """
            expected nothing published, 2 were
            published 2:
              1. \(created)
              2. \(note)
            """)
    }

    func testDescription_namesTheOrderAndExpectations() {
        XCTAssertEqual(PublicationMatcher.publishedNothing.description, "published nothing")
        XCTAssertEqual(PublicationMatcher.published([.message(noteAdded), .anyMessage()]).description,
                       "published in order: [\(noteAdded), any message]")
        XCTAssertEqual(PublicationMatcher.publishedInAnyOrder([.message(noteAdded)]).description, "published in any order: [\(noteAdded)]")
    }
}
