/// A binding name with the type of its component, for typed registration and resolution.
///
/// The library declares its keys this way and adds a `Graph` accessor for each:
/// ```swift
/// extension BindingKey where Component == ThingStore {
///     static var thingStore: Self { Self("thing_store") }
/// }
/// extension Graph {
///     var thingStore: ThingStore { get throws { try resolve(.thingStore) } }
/// }
/// ```
public struct BindingKey<Component: Sendable>: Sendable, Hashable, CustomStringConvertible {
    /// The snake_case binding name, also the name of its config section.
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }
}
