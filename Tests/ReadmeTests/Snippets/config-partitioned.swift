// The README.md block `swift config-partitioned`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm

func readmeConfigPartitioned() throws {
// begin README: config-partitioned
let partitioned = PartitionedLoader.configAndSecrets(config: .settingsFile(), secrets: .environment())
let graph = try Graph(name: "things", loader: partitioned.loader)
let source = partitioned.source(of: "db.password")    // "secrets"
let printable = partitioned.partition("config")       // safe to print
// end README: config-partitioned
    _ = (graph, source, printable)
}
