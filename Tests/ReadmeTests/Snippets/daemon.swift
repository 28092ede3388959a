// The README.md block `swift daemon`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Foundation

// begin README: daemon
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon

struct ThingsDaemon: ConsumerDaemon {
    var name: String { "things-daemon" }                 // THINGS_DAEMON__SETTINGS, THINGS_DAEMON__... variables
    var registry: Registry {
        var registry = Registry.pubsub
        registry.bind("thing_store") { graph in ThingStore(baseURL: try graph.config.string("thing_store.base_url")) }
        return registry
    }
    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(ThingCreatedHandler.self, for: .created("Thing"))
        return handlers
    }
    var components: [String] { ["thing_store"] }         // created at start-up: bad config stops the daemon at once
}
// end README: daemon

func readmeDaemonMain() async {
// begin README: daemon

// main.swift
exit(await ThingsDaemon().run())
// end README: daemon
}
