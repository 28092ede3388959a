#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

extension Dictionary where Key == String, Value == String {
    /// The variable's value, or nil when it is unset or empty (an empty variable counts as unset).
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }

    /// True when the variable is `true` in any case (AWS's boolean switches).
    func isTrue(_ name: String) -> Bool {
        self[name]?.trimmingSpaces().lowercased() == "true"
    }

    /// `path` with a leading `~` replaced by HOME (from this environment, else the user's home).
    func expandingHome(in path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = nonEmpty("HOME") ?? passwordDatabaseHomeDirectory()
        return home + path.dropFirst()
    }
}
