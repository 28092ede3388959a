import Microcosm
import MicrocosmPubSub

/// A worker daemon (microcosm-pubsub's `ConsumerDaemon`): the application names the service,
/// gives its bindings and its handlers, and calls ``run()`` from `main.swift`.
///
/// ``run()`` reads the command line (see ``ConsumerDaemonOptions``: `--sqs-queue-url`, `--stdin`,
/// `--lambda-event`, `--envelope`, `--concurrency`, `--debug`, `--testing`, ...), creates the
/// graph (configuration: binding defaults < `<NAME>__SETTINGS` file < `<NAME>__...` environment
/// < flags), checks it by creating the consumer, the dispatcher (which builds the handlers), the
/// producer when topics are configured and ``components``, locks it; on the in-memory broker
/// makes the configured topics and its queue, subscribed; opens the health endpoint when
/// `consumer_daemon.health_port` is set; runs ``prepare(_:)``, then a ``ConsumerLoop`` until
/// SIGTERM or SIGINT (or, for standard input, a file or a Lambda event, until the messages run
/// out), then ``shutDown(_:report:)``. ``start(arguments:environment:overrides:)`` does the same in process.
///
/// Exit status: 0 after a graceful shutdown or the end of a finite source (and in Lambda mode,
/// whatever the records' results: the printed response names the failures); 64 for a usage or
/// configuration error (one line on standard error); 1 when the daemon cannot start
/// (``prepare(_:)`` failed, the health port cannot be opened), ``shutDown(_:report:)`` failed or its source cannot be read; 128 + the signal number when a second
/// signal stops it at once.
///
/// ```swift
/// struct ThingsDaemon: ConsumerDaemon {
///     var name: String { "things-daemon" }
///     var registry: Registry {
///         var registry = Registry.pubsub
///         registry.bind("thing_store") { graph in ThingStore(baseURL: try graph.config.string("thing_store.base_url")) }
///         return registry
///     }
///     var handlers: MessageHandlers {
///         var handlers = MessageHandlers()
///         handlers.register(ThingCreatedHandler.self, for: .created("Thing"))
///         return handlers
///     }
/// }
///
/// // main.swift
/// exit(await ThingsDaemon().run())
/// ```
public protocol ConsumerDaemon: Sendable {
    /// The service name: the graph's name, so the settings file variable (`THINGS_DAEMON__SETTINGS`)
    /// and environment prefix (`THINGS_DAEMON__`), the logger's label and the usage line.
    var name: String { get }

    /// One sentence for `--help` and the graph's metadata; nil by default.
    var summary: String? { get }

    /// The bindings: ``Microcosm/Registry/pubsub`` (the default) plus the application's.
    var registry: Registry { get }

    /// The handlers, per media type; assigned to the graph's `sqs_message_handler_registry`.
    var handlers: MessageHandlers { get }

    /// Further bindings to create at start-up, so bad configuration stops the daemon before the
    /// first message (microcosm-daemon's `components`); none by default.
    var components: [String] { get }

    /// The asynchronous start-up hook: runs once the graph is created, checked and locked (and,
    /// on the in-memory broker, its topics and queue made), before the first receive; does
    /// nothing by default. Open connections, warm a cache, `graph.assign(...)` what you built
    /// (assigning works on a locked graph). A thrown error stops the daemon with status 1.
    func prepare(_ graph: Graph) async throws

    /// The shutdown hook: runs once the loop has ended (after the drain of a graceful shutdown,
    /// or at the end of standard input, a file or a Lambda event), with the loop's report;
    /// does nothing by default. Close what ``prepare(_:)`` opened, flush what you buffered. A
    /// thrown error is logged and the daemon exits 1. When the daemon's task was cancelled, the
    /// hook runs in a cancelled task.
    func shutDown(_ graph: Graph, report: ConsumerLoopReport) async throws
}

extension ConsumerDaemon {
    /// No summary.
    public var summary: String? { nil }

    /// The library's bindings.
    public var registry: Registry { .pubsub }

    /// No further components.
    public var components: [String] { [] }

    /// Nothing to prepare.
    public func prepare(_ graph: Graph) async throws {}

    /// Nothing to shut down.
    public func shutDown(_ graph: Graph, report: ConsumerLoopReport) async throws {}
}
