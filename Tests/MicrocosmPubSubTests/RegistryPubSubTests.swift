import Microcosm
import MicrocosmPubSub
import XCTest

final class RegistryPubSubTests: XCTestCase {
    func testPubSubRegistry_bindsTheSchemaRegistryWithAutoRegisterOn() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .standard(environment: [:]))
        XCTAssertEqual(try graph.config.bool("pubsub_message_schema_registry.auto_register"), true)
        let registry = try graph.pubsubMessageSchemaRegistry
        XCTAssertTrue(registry.autoRegister)
        XCTAssertTrue(try graph.pubsubMessageSchemaRegistry === registry, "built once")
        XCTAssertEqual(try registry.schema(for: .created("Thing")), .uri)
    }

    func testAutoRegister_isConfiguredLikeThePythonService() throws {
        let environment = ["THINGS__PUBSUB_MESSAGE_SCHEMA_REGISTRY__AUTO_REGISTER": "false"]
        let graph = try Graph(name: "things", registry: .pubsub, loader: .standard(environment: environment))
        XCTAssertFalse(try graph.pubsubMessageSchemaRegistry.autoRegister)
    }

    func testAutoRegister_thatIsNotABool_failsNamingTheKey() {
        XCTAssertThrowsError(try Graph(name: "things", registry: .pubsub, loader: .standard(environment: [:]),
                                       config: ["pubsub_message_schema_registry": ["auto_register": "maybe"]])) { error in
            XCTAssertTrue("\(error)".contains("pubsub_message_schema_registry.auto_register"), "\(error)")
        }
    }
}
