#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmJSON

extension ConfigLoader {
    /// The JSON file named by `<NAME>__SETTINGS` (`load_from_json_file`); nothing when unset.
    ///
    /// A file that is missing, is not valid JSON (the error gives line and column) or does not
    /// hold an object is an error naming the variable and the path.
    public static func settingsFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLoader {
        layered { metadata in
            let variable = metadata.settingsVariable
            guard let path = environment[variable], !path.isEmpty else { return Loaded(values: JSONObject(), layers: []) }
            return Loaded(try jsonFile(path, origin: "\(variable) names '\(path)'"), origin: .settingsFile(path, variable: variable))
        }
    }

    /// The JSON object in the file at `path`.
    public static func jsonFile(_ path: String) -> ConfigLoader {
        ConfigLoader(origin: .settingsFile(path)) { _ in try jsonFile(path, origin: "settings file '\(path)'") }
    }

    private static func jsonFile(_ path: String, origin: String) throws -> JSONObject {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "which cannot be read" : "which does not exist"
            throw ConfigurationError.invalidSource("\(origin), \(reason)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(data)
        } catch {
            throw ConfigurationError.invalidSource("\(origin): \(error)")
        }
        guard case .object(let object) = value else {
            throw ConfigurationError.invalidSource("\(origin): expected a JSON object at the top level, found \(value.typeName)")
        }
        return object
    }
}
