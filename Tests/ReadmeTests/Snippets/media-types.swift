// The README.md block `swift media-types`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import MicrocosmPubSub
import XCTest

final class ReadmeMediaTypesTests: XCTestCase {
    func testMediaTypes() {
// begin README: media-types
let created = MediaType.created("FooBar")                          // application/vnd.globality.pubsub._.created.foo_bar
let deleted = MediaType.deleted(Order.self, organization: "acme")  // application/vnd.acme.pubsub._.deleted.order
let changed = MediaType.changed("FooBar", public: true)            // application/vnd.globality.pubsub.changed.foo_bar
// end README: media-types
        XCTAssertEqual(created.rawValue, "application/vnd.globality.pubsub._.created.foo_bar")
        XCTAssertEqual(deleted.rawValue, "application/vnd.acme.pubsub._.deleted.order")
        XCTAssertEqual(changed.rawValue, "application/vnd.globality.pubsub.changed.foo_bar")
    }
}
