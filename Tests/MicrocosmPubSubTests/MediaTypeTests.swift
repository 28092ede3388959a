import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

final class MediaTypeTests: XCTestCase {
    private struct FooBar {}
    private struct HTTPServer {}
    private struct Box<T> {}

    func testConventions_matchMakeMediaType() {
        // Right-hand sides: microcosm_pubsub.conventions.created/changed/deleted in Python.
        XCTAssertEqual(MediaType.created("FooBar").rawValue, "application/vnd.globality.pubsub._.created.foo_bar")
        XCTAssertEqual(MediaType.changed("FooBar", organization: "acme").rawValue, "application/vnd.acme.pubsub._.changed.foo_bar")
        XCTAssertEqual(MediaType.deleted("FooBar", public: true).rawValue, "application/vnd.globality.pubsub.deleted.foo_bar")
        XCTAssertEqual(MediaType(LifecycleChange("archived"), resource: "HTTPServer", organization: "Acme", public: true).rawValue,
                       "application/vnd.Acme.pubsub.archived.http_server")
        XCTAssertEqual(MediaType.created("batch_message"), BatchMessage.mediaType)
    }

    func testConventions_fromTypeUseTheTypeNameSnakeCased() {
        XCTAssertEqual(MediaType.created(FooBar.self), .created("FooBar"))
        XCTAssertEqual(MediaType.changed(HTTPServer.self, public: true).rawValue, "application/vnd.globality.pubsub.changed.http_server")
        XCTAssertEqual(MediaType.deleted(Box<Int>.self).rawValue, "application/vnd.globality.pubsub._.deleted.box")
    }

    func testConventions_matchEveryCaseMicrocosmPubSubComputed() throws {
        let file = try WireFixtures.ownFile("media-types.json")
        let cases = try XCTUnwrap(file["media_types"]?.arrayValue)
        XCTAssertGreaterThan(cases.count, 100)
        for entry in cases {
            let resource = try XCTUnwrap(entry["resource"]?.stringValue)
            let change = LifecycleChange(try XCTUnwrap(entry["change"]?.stringValue))
            let organization = entry["organization"]?.stringValue ?? MediaType.defaultOrganization
            let isPublic = entry["public"]?.boolValue ?? false
            XCTAssertEqual(MediaType(change, resource: resource, organization: organization, public: isPublic).rawValue,
                           entry["media_type"]?.stringValue, "\(entry)")
        }
    }

    func testConventions_fromTheCache_equalMakingThemEachTime() throws {
        let file = try WireFixtures.ownFile("media-types.json")
        let cases = try XCTUnwrap(file["media_types"]?.arrayValue)
        var inputs: [(LifecycleChange, String, String, Bool)] = try cases.map { entry in
            (LifecycleChange(try XCTUnwrap(entry["change"]?.stringValue)), try XCTUnwrap(entry["resource"]?.stringValue),
             entry["organization"]?.stringValue ?? MediaType.defaultOrganization, entry["public"]?.boolValue ?? false)
        }
        // Keys that differ in one part only, and names that are not ASCII or are empty.
        for resource in ["FooBar", "foo_bar", "Foo-Bar", "ÉtéBar", "Cafe\u{301}Bar", "", "A"] {
            for change in [LifecycleChange.created, .changed, .deleted, "archived"] {
                for (organization, isPublic) in [("globality", false), ("globality", true), ("acme", false), ("", true)] {
                    inputs.append((change, resource, organization, isPublic))
                }
            }
        }
        for _ in 0..<2 {   // the first pass fills the cache, the second reads it
            for (change, resource, organization, isPublic) in inputs {
                for _ in 0..<2 {   // the second time, the last one asked for
                    XCTAssertEqual(MediaType(change, resource: resource, organization: organization, public: isPublic).rawValue,
                                   MediaType.makeConventionText(change, resource: resource, organization: organization, isPublic: isPublic),
                                   "\(change) \(resource) \(organization) \(isPublic)")
                }
            }
        }
    }

    func testConventionCache_staysWithinItsLimit_andStaysRight() {
        for index in 0..<(MediaType.conventionCacheLimit * 3) {
            XCTAssertEqual(MediaType.created("Resource\(index)").rawValue, "application/vnd.globality.pubsub._.created.resource\(index)")
            XCTAssertLessThanOrEqual(MediaType.conventionCacheCount, MediaType.conventionCacheLimit)
        }
        XCTAssertEqual(MediaType.created("Resource0").rawValue, "application/vnd.globality.pubsub._.created.resource0")
    }

    func testWildcardMatching_matchesFindMatchingMediaType() throws {
        let file = try WireFixtures.ownFile("media-types.json")
        let registry = PubSubMessageSchemaRegistry()
        let registered = try XCTUnwrap(file["registered"]?.arrayValue).compactMap(\.stringValue).map { MediaType($0) }
        for mediaType in registered { registry.register(mediaType) }
        let lookups = try XCTUnwrap(file["matching"]?.arrayValue)
        XCTAssertEqual(lookups.count, 10)
        for lookup in lookups {
            let mediaType = MediaType(try XCTUnwrap(lookup["media_type"]?.stringValue))
            let expected = lookup["matching"]?.stringValue.map { MediaType($0) }
            XCTAssertEqual(registry.matchingMediaType(mediaType), expected, mediaType.rawValue)
            let viaMatches = registered.contains(mediaType) ? mediaType : registered.first { $0.isWildcard && $0.matches(mediaType) }
            XCTAssertEqual(viaMatches, expected, "matches(_:) for \(mediaType)")
        }
    }

    func testWildcard_standsForExactlyOneMoreSegment() {
        let pattern: MediaType = "application/vnd.globality.pubsub._.created.*"
        XCTAssertTrue(pattern.isWildcard)
        XCTAssertTrue(pattern.matches(.created("FooBar")))
        XCTAssertFalse(pattern.matches("application/vnd.globality.pubsub._.created.foo.bar"))
        XCTAssertFalse(pattern.matches(.changed("FooBar")))
        XCTAssertFalse(MediaType.created("FooBar").matches(.created("Other")))
        XCTAssertTrue(MediaType.created("FooBar").matches(.created("FooBar")))
        XCTAssertEqual(MediaType.created("FooBar").wildcard, pattern)
        XCTAssertEqual(MediaType.json.wildcard, ".*")
    }

    func testLifecycleChange_matchesWholeSegmentsOnly() {
        XCTAssertTrue(LifecycleChange.created.matches(.created("Thing")))
        XCTAssertFalse(LifecycleChange.created.matches("application/vnd.globality.pubsub._.recreated.thing"))
        XCTAssertTrue(LifecycleChange.deleted.matches("application/vnd.acme.deleted"))
        XCTAssertEqual(LifecycleChange.conventions.map(\.rawValue).sorted(), ["changed", "created", "deleted"])
    }

    func testMediaType_codableAsItsString() throws {
        XCTAssertEqual(try JSONValueEncoder().encode(MediaType.created("FooBar")), "application/vnd.globality.pubsub._.created.foo_bar")
        XCTAssertEqual(try JSONValueDecoder().decode(MediaType.self, from: "x.y"), "x.y")
    }
}
