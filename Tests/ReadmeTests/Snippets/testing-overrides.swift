// The README.md block `swift testing-overrides`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm

func readmeTestingOverrides(registry: Registry) throws {
// begin README: testing-overrides
let graph = try Graph(name: "things", testing: true, registry: registry, loader: .empty,
                      config: ["thing_store": ["timeout": 1]])
graph.override("thing_store") { _ in ThingStore(baseURL: "http://fake") }   // rebuilt on next use
graph.assign("clock", FixedClock())                                          // a ready value
// end README: testing-overrides
}
