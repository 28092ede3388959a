import Foundation
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// The daemon `scripts/chaos` runs against moto through its fault-injecting proxy: a
/// ``ConsumerDaemon`` built with the library's API like any service, run by `ConsumerDaemon.run()`
/// (its flags, signals, logging and exit status), whose handler takes a set time and writes down
/// what it does.
///
/// Started as `pubsub-bench chaos-daemon [daemon flags]` (which re-executes itself under the
/// name `chaos-daemon`, so that `run()` reads the flags as a daemon's `main.swift` does), or
/// directly under that name (`argv[0]` = `chaos-daemon`). Config (`CHAOS_DAEMON__CHAOS_DAEMON__...`):
///
/// | key | default | |
/// |---|---|---|
/// | `chaos_daemon.handle_seconds` | 0 | how long each handler sleeps before it succeeds |
/// | `chaos_daemon.record_path` | null | the file each handler event is appended to (none: not recorded) |
///
/// Messages are `created.chaos_message` with uri `http://chaos.invalid/messages/<id>`; a uri under
/// `/poison/` makes the handler fail after its sleep (FAILED: nacked, and in the end moved to the
/// dead-letter queue by SQS). Each event is one line, `<event> <id> <receive count> <SQS message id>`,
/// where the event is `start`, `done` (handled: returned true), `fail` or `cancel` (the sleep was
/// cancelled).
struct ChaosDaemon: ConsumerDaemon {
    /// `application/vnd.globality.pubsub._.created.chaos_message`
    static let mediaType = MediaType.created("ChaosMessage")
    /// The process name under which `pubsub-bench` runs the daemon.
    static let processName = "chaos-daemon"

    var name: String { Self.processName }

    var summary: String? { "The chaos suite's daemon: each handler sleeps, then records the message it handled." }

    var registry: Registry {
        var registry = Registry.pubsub
        registry.bind("chaos_daemon", defaults: [
            "handle_seconds": .typed(.double, default: 0),
            "record_path": .typed(.string, default: nil),
        ]) { graph in
            let section = try graph.config.section("chaos_daemon")
            let seconds = try section.double("handle_seconds")
            guard seconds.isFinite, (0...3600).contains(seconds) else {
                throw ConfigurationError.typeMismatch(section.basePath.appending("handle_seconds"), expected: "seconds from 0 to 3600",
                                                      seen: .double(seconds))
            }
            return try ChaosRecorder(path: try section.optionalString("record_path"), handleTime: .milliseconds(Int64(seconds * 1000)))
        }
        return registry
    }

    var components: [String] { ["chaos_daemon"] }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(ChaosHandler.self, for: Self.mediaType)
        return handlers
    }

    /// True when this process was started under the daemon's name (`argv[0]`).
    static func isInvoked(as programPath: String?) -> Bool {
        programPath.map { URL(fileURLWithPath: $0).lastPathComponent == processName } ?? false
    }

    /// Re-executes this program as `chaos-daemon` with `arguments` (the daemon's flags); returns
    /// only when that fails.
    static func execute(_ arguments: [String]) -> Int32 {
        guard let executable = Bundle.main.executablePath else {
            printError("pubsub-bench chaos-daemon: cannot find this program's path")
            return 1
        }
        let cArguments = ([processName] + arguments).map { strdup($0) } + [nil]
        execv(executable, cArguments)
        printError("pubsub-bench chaos-daemon: cannot run \(executable) (errno \(errno))")
        return 1
    }
}
