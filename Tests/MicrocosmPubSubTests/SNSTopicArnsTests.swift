import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

final class SNSTopicArnsTests: XCTestCase {
    private let events = "arn:aws:sns:us-east-1:123456789012:events"
    private let fooBars = "arn:aws:sns:us-east-1:123456789012:foo-bars"
    private let explicit = "arn:aws:sns:us-east-1:123456789012:explicit"
    private let batches = "arn:aws:sns:us-east-1:123456789012:batches"

    private func topics(_ section: JSONObject) throws -> SNSTopicArns {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty, config: ["sns_topic_arns": .object(section)])
        return try graph.snsTopicArns
    }

    func testTopicChoice_followsMappingsThenLifecycleSectionsThenDefault() throws {
        let section: JSONObject = [
            "default": .string(events),
            "mappings": [
                MediaType.created("FooBar").rawValue: .string(explicit),
                MediaType.created("Thing", organization: "acme", public: true).rawValue: .string(explicit),
                MediaType.deleted("Gone").rawValue: .null,
            ],
            "created": ["foo_bar": .string(fooBars), "BazQux": .string(fooBars), "foo": ["bar": .string(fooBars)]],
            "changed": ["foo_bar": .string(fooBars), "ignored": .null],
            "deleted": ["foo_bar": .string(fooBars)],
        ]
        let topics = try topics(section)
        let table: [(MediaType, String?, String)] = [
            (.created("FooBar"), explicit, "an explicit mapping wins over the lifecycle section"),
            (.changed("FooBar"), fooBars, "lifecycle section changed.foo_bar"),
            (.deleted("FooBar"), fooBars, "lifecycle section deleted.foo_bar"),
            (.created("BazQux"), fooBars, "a CamelCase resource key is snake_cased, as make_media_type does"),
            ("application/vnd.globality.pubsub._.created.foo.bar", fooBars, "nested names join with '.'"),
            (.changed("Ignored"), events, "a null lifecycle entry maps nothing: the default applies"),
            (.deleted("Gone"), nil, "a null mapping means no topic, not the default"),
            (.created("Thing", organization: "acme", public: true), explicit, "any media type can be mapped explicitly"),
            (.created("FooBar", organization: "acme"), events, "lifecycle sections name globality's internal media types only"),
            (.created("Other"), events, "everything else: the default"),
            ("application/vnd.acme.custom", events, "not a convention media type: the default"),
            (BatchMessage.mediaType, nil, "the batch message never takes the default"),
        ]
        for (mediaType, expected, why) in table {
            XCTAssertEqual(topics.topicArn(for: mediaType), expected, "\(mediaType): \(why)")
            XCTAssertEqual(topics[mediaType], expected, "\(mediaType): subscript")
        }
    }

    func testTopicChoice_withoutDefault_onlyMappedMediaTypesHaveTopics() throws {
        let topics = try topics(["created": ["foo_bar": .string(fooBars)]])
        XCTAssertEqual(topics.topicArn(for: .created("FooBar")), fooBars)
        XCTAssertNil(topics.topicArn(for: .changed("FooBar")))
        XCTAssertNil(topics.defaultTopicArn)
    }

    func testBatchMessage_takesAnExplicitMappingOrItsLifecycleEntry() throws {
        XCTAssertEqual(try topics(["default": .string(events), "mappings": [BatchMessage.mediaType.rawValue: .string(batches)]])
            .topicArn(for: BatchMessage.mediaType), batches)
        XCTAssertEqual(try topics(["default": .string(events), "created": ["batch_message": .string(batches)]])
            .topicArn(for: BatchMessage.mediaType), batches)
    }

    func testEnvironmentVariables_configureLifecycleSectionsAndDefault() throws {
        let environment = [
            "THINGS__SNS_TOPIC_ARNS__CREATED__FOO_BAR": fooBars,
            "THINGS__SNS_TOPIC_ARNS__DELETED__FOO__BAR": explicit,
            "THINGS__SNS_TOPIC_ARNS__DEFAULT": events,
            "OTHER__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:not-ours",
        ]
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .environment(environment))
        let topics = try graph.snsTopicArns
        XCTAssertEqual(topics.topicArn(for: .created("FooBar")), fooBars)
        XCTAssertEqual(topics.topicArn(for: "application/vnd.globality.pubsub._.deleted.foo.bar"), explicit)
        XCTAssertEqual(topics.topicArn(for: .changed("FooBar")), events)
        XCTAssertNil(topics.topicArn(for: BatchMessage.mediaType))
    }

    func testMappingsGivenAsJSONText_areRead() throws {
        // A JSON-valued environment variable or settings value for the whole mappings object.
        let mappings = #"{"\#(MediaType.created("FooBar").rawValue)": "\#(explicit)"}"#
        XCTAssertEqual(try topics(["mappings": .string(mappings)]).topicArn(for: .created("FooBar")), explicit)
    }

    func testDefaults_areMicrocosmPubSubs() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty)
        XCTAssertEqual(graph.config["sns_topic_arns"], .object(["default": .null, "mappings": .object([:]), "created": .null,
                                                                "changed": .null, "deleted": .null]))
        XCTAssertNil(try graph.snsTopicArns.topicArn(for: .created("FooBar")))
    }

    func testTopicNotDefined_namesTheMediaTypeAndWhereToConfigureIt() throws {
        let topics = SNSTopicArns()
        XCTAssertThrowsError(try topics.requireTopicArn(for: .created("FooBar"))) { error in
            let error = error as? SNSProducerError
            XCTAssertEqual(error?.code, .topicNotDefined)
            XCTAssertEqual(error?.mediaType, .created("FooBar"))
            XCTAssertEqual(error?.description, "no topic ARN for media type 'application/vnd.globality.pubsub._.created.foo_bar' "
                + "(set sns_topic_arns.mappings, sns_topic_arns.created.foo_bar or sns_topic_arns.default)")
        }
        XCTAssertThrowsError(try topics.requireTopicArn(for: BatchMessage.mediaType)) { error in
            XCTAssertEqual("\(error)", "no topic ARN for media type 'application/vnd.globality.pubsub._.created.batch_message' "
                + "(set sns_topic_arns.mappings or sns_topic_arns.created.batch_message)", "the default does not apply to batches")
        }
        XCTAssertThrowsError(try topics.requireTopicArn(for: "application/vnd.acme.custom")) { error in
            XCTAssertEqual("\(error)", "no topic ARN for media type 'application/vnd.acme.custom' "
                + "(set sns_topic_arns.mappings or sns_topic_arns.default)")
        }
    }

    func testTopicThatIsNotText_failsNamingTheKey() throws {
        XCTAssertThrowsError(try topics(["created": ["foo_bar": 5]])) { error in
            XCTAssertTrue("\(error)".contains("sns_topic_arns.created.foo_bar"), "\(error)")
        }
        XCTAssertThrowsError(try topics(["changed": "arn:aws:sns:us-east-1:123456789012:x"])) { error in
            XCTAssertTrue("\(error)".contains("sns_topic_arns.changed"), "\(error)")
        }
        XCTAssertThrowsError(try topics(["mappings": ["application/vnd.acme.x": ["nested": "arn"]]])) { error in
            XCTAssertTrue("\(error)".contains("sns_topic_arns.mappings.application/vnd.acme.x"), "\(error)")
        }
    }

    func testExplicitInit_mapsAndDefaults() {
        let topics = SNSTopicArns(mappings: [.created("FooBar"): fooBars], defaultTopicArn: events)
        XCTAssertEqual(topics.topicArn(for: .created("FooBar")), fooBars)
        XCTAssertEqual(topics.topicArn(for: .deleted("FooBar")), events)
        XCTAssertNil(topics.topicArn(for: BatchMessage.mediaType))
    }
}
