// The daemon `pubsub-bench daemon-cpu` measures: a consumer daemon whose one handler (created.foo_bar) returns true,
// configured by NOOP_DAEMON__* variables. A program of its own, built as a service author builds a daemon (it imports
// no full Foundation, so it loads no libFoundation), rather than a subcommand of the bench, which links Foundation.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import MicrocosmPubSub
import MicrocosmPubSubDaemon

struct NoopDaemon: ConsumerDaemon {
    var name: String { "noop-daemon" }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(.created("FooBar")) { _ in true }
        return handlers
    }
}

exit(await NoopDaemon().run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
