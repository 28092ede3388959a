// The README.md block `swift graph-typed-keys`: the lines between the markers are its text; what is around
// them is what it needs to compile (see README "Development").
import Microcosm

// begin README: graph-typed-keys
extension BindingKey where Component == ThingStore {
    static var thingStore: Self { Self("thing_store") }
}
extension Graph {
    var thingStore: ThingStore { get throws { try resolve(.thingStore) } }
}
// end README: graph-typed-keys

func readmeGraphTypedKeys(graph: Graph) throws {
    var registry = Registry()
// begin README: graph-typed-keys
registry.bind(.thingStore) { graph in ThingStore(baseURL: "http://things") }
let store = try graph.thingStore
// end README: graph-typed-keys
    _ = (registry, store)
}
