import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import MicrocosmPubSubTesting
import XCTest

/// Where shipments are noted: the real one needs a server, tests use a fake.
protocol NoteStore: Sendable {
    func note(_ text: String) async throws
}

struct UnreachableNoteStore: NoteStore {
    struct Unreachable: Error {}
    init(baseURL: String) throws { throw Unreachable() }
    func note(_ text: String) async throws {}
}

actor FakeNoteStore: NoteStore {
    private(set) var notes: [String] = []
    func note(_ text: String) { notes.append(text) }
}

extension BindingKey where Component == any NoteStore {
    static var noteStore: Self { Self("note_store") }
}

/// Notes each shipment; publishes nothing.
struct NoteShipment: MessageHandler {
    let store: any NoteStore
    init(graph: Graph) throws { store = try graph.resolve(.noteStore) }

    func handle(_ shipped: OrderShipped, context: HandlerContext) async throws -> Bool {
        try await store.note("\(shipped.uri) by \(shipped.carrier)")
        return shipped.carrier != "none"
    }
}

struct NotesDaemon: ConsumerDaemon {
    var name: String { "notes-daemon" }
    var registry: Registry {
        var registry = Registry.pubsub
        registry.bind(.noteStore, defaults: ["base_url": .required(.string, mock: "http://notes.test")]) { graph -> any NoteStore in
            try UnreachableNoteStore(baseURL: try graph.config.string("note_store.base_url"))
        }
        return registry
    }
    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(NoteShipment.self)
        return handlers
    }
    var components: [String] { [BindingKey.noteStore.name] }
}

final class DaemonTestingTests: XCTestCase {
    let environment = ["NOTES_DAEMON__SNS_TOPIC_ARNS__DEFAULT": ordersTopic]

    func testTestingGraph_hasTheDaemonsNameBindingsAndHandlers_andTakesOverridesBeforeTheFirstDispatch() async throws {
        let graph = try await NotesDaemon().testingGraph(config: ["sns_topic_arns": ["default": .string(ordersTopic)]])
        XCTAssertEqual(graph.metadata.name, "notes-daemon")
        XCTAssertTrue(graph.metadata.testing)
        XCTAssertFalse(graph.isLocked)
        let store = FakeNoteStore()
        graph.assign(.noteStore, store)
        let result = try await graph.dispatch(OrderShipped(uri: "http://orders/1", carrier: "ups"))
        XCTAssertEqual(result.kind, .succeeded)
        let notes = await store.notes
        XCTAssertEqual(notes, ["http://orders/1 by ups"])
    }

    func testStart_withoutOverrides_failsOnTheUnreachableStore() async {
        do {
            _ = try await NotesDaemon().start(arguments: ["--testing"], environment: environment)
            XCTFail("the daemon started")
        } catch {
            XCTAssertTrue("\(error)".hasSuffix("creating 'note_store' failed: Unreachable()"), "\(error)")
        }
    }

    func testStart_overrides_replaceABindingBeforeTheGraphIsChecked_andWaitForResultsReturnsEachResult() async throws {
        let store = FakeNoteStore()
        let daemon = try await NotesDaemon().start(arguments: ["--testing"], environment: environment) { graph in
            XCTAssertFalse(graph.isLocked)
            graph.assign(.noteStore, store)
        }
        try await daemon.graph.snsProducer.produce(OrderShipped(uri: "http://orders/1", carrier: "ups"))
        try await daemon.graph.snsProducer.produce(OrderShipped(uri: "http://orders/2", carrier: "none"))
        let results = try await daemon.waitForResults(count: 2)
        try await daemon.stop()
        XCTAssertEqual(Set(results.map(\.kind)), [.succeeded, .skipped])
        XCTAssertEqual(results.map(\.mediaType), [OrderShipped.mediaType, OrderShipped.mediaType])
        let notes = await store.notes
        XCTAssertEqual(Set(notes), ["http://orders/1 by ups", "http://orders/2 by none"])
    }

    func testWaitForResults_ofAMediaType_countsOnlyThatMediaTypesResults() async throws {
        let daemon = try await NotesDaemon().start(arguments: ["--testing"], environment: environment) { graph in
            graph.assign(.noteStore, FakeNoteStore())
        }
        try await daemon.graph.snsProducer.produce(.created("Invoice"), uri: "http://invoices/1")   // no handler: IGNORED
        try await daemon.graph.snsProducer.produce(OrderShipped(uri: "http://orders/1", carrier: "ups"))
        let shipped = try await daemon.waitForResults(count: 1, of: OrderShipped.mediaType)
        let all = try await daemon.waitForResults(count: 2)
        try await daemon.stop()
        XCTAssertEqual(shipped.map(\.kind), [.succeeded])
        XCTAssertEqual(shipped.map(\.mediaType), [OrderShipped.mediaType])
        XCTAssertEqual(Set(all.map(\.kind)), [.ignored, .succeeded])
    }

    func testWaitForResults_whenFewerAreHandled_timesOutListingThem() async throws {
        let daemon = try await NotesDaemon().start(arguments: ["--testing"], environment: environment) { graph in
            graph.assign(.noteStore, FakeNoteStore())
        }
        try await daemon.graph.snsProducer.produce(OrderShipped(uri: "http://orders/1", carrier: "ups"))
        try await daemon.waitForResults(count: 1)
        do {
            try await daemon.waitForResults(count: 2, timeout: .milliseconds(10))
            XCTFail("no error")
        } catch let error as PubSubTestingError {
            XCTAssertEqual(error.code, .timedOut)
            XCTAssertEqual(error.description, "daemon 'notes-daemon' handled 1 of the 2 messages waited for within 0.01 seconds:\n"
                               + "  1. Result for media type: \(OrderShipped.mediaType) was : SUCCEEDED")
        }
        try await daemon.stop()
    }

    func testWaitForResults_daemonNotTesting_throwsSayingSo() async throws {
        let daemon = try await NotesDaemon().start(arguments: ["--endpoint-url", "memory://"], environment: [
            "NOTES_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/notes",
            "NOTES_DAEMON__NOTE_STORE__BASE_URL": "http://notes.internal",
        ]) { graph in
            graph.assign(.noteStore, FakeNoteStore())
        }
        do {
            try await daemon.waitForResults(count: 1)
            XCTFail("no error")
        } catch let error as PubSubTestingError {
            XCTAssertEqual(error.code, .notRecording)
            XCTAssertEqual(error.description, "daemon 'notes-daemon' does not record the results of its messages: start it with --testing")
        }
        try await daemon.stop()
    }

    func testMakeGraph_overrides_applyBeforeTheGraphIsCheckedAndLocked() throws {
        let store = FakeNoteStore()
        let graph = try NotesDaemon().makeGraph(arguments: ["--testing"], environment: [:]) { graph in
            graph.assign(.noteStore, store)
        }
        XCTAssertTrue(graph.isLocked)
        XCTAssertTrue(try graph.resolve(.noteStore) as? FakeNoteStore === store)
    }
}
