import Foundation
import Microcosm
import MicrocosmJSON
import XCTest

/// The same settings file, environment and defaults give the configuration Python microcosm gives
/// (Fixtures/config/python-service/expected.json, made by scripts/make-config-fixtures).
final class ConfigCompatibilityTests: XCTestCase {
    private let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/config/python-service")

    private func json(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// defaults.json describes requirements as {"typed": T, "default": V} or {"required": T}.
    private func defaults(_ value: JSONValue) -> ConfigDefault {
        let types: [String: ConfigType] = ["str": .string, "int": .int, "float": .double, "bool": .bool, "list": .list]
        guard case .object(let object) = value else { return .value(value) }
        if let type = object["typed"]?.stringValue { return .typed(types[type]!, default: object["default"]!) }
        if let type = object["required"]?.stringValue { return .required(types[type]!) }
        return .section(ConfigDefaults(object.map { (key: $0.key, value: defaults($0.value)) }))
    }

    func testPythonServiceSettingsAndEnvironment_giveTheSameConfiguration() throws {
        var registry = Registry()
        for (section, value) in try json("defaults.json").objectValue! {
            guard case .section(let sectionDefaults) = defaults(value) else { return XCTFail("bad fixture") }
            registry.declare(section, defaults: sectionDefaults)
        }
        var environment = try json("environment.json").objectValue!.dictionary.mapValues { $0.stringValue! }
        environment["THINGS_API__SETTINGS"] = folder.appendingPathComponent("settings.json").path
        let graph = try Graph(name: "things-api", registry: registry, loader: .standard(environment: environment))

        var loaded = graph.config.values
        loaded["settings"] = nil      // as in the Python fixture script: the variable is not config
        loaded["logging"] = nil       // our logger's declared section; microcosm-logging's is not loaded there
        XCTAssertTrue(JSONValue.object(loaded).isNumericallyEqual(to: try json("expected.json")),
                      "Swift: \(JSONSerializer.pythonIndented.string(.object(loaded)))")
    }
}
