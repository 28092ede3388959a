// The README.md block `swift daemon-shutdown`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import MicrocosmPubSub
import MicrocosmPubSubDaemon

func readmeDaemonShutdown() async {
// begin README: daemon-shutdown
let shutdown = ConsumerDaemonShutdown()
let daemon = Task { await OrdersDaemon().run(arguments: ["--testing"], environment: [:], shutdown: shutdown) }
shutdown.trigger()                    // what SIGTERM does
let status = await daemon.value       // 0
// end README: daemon-shutdown
    _ = status
}
