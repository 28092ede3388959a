import Foundation

/// Runs wrk against a URL with one fixed request and returns its requests per second.
enum Wrk {
    static func requestsPerSecond(url: String, method: String, headers: [(String, String)], body: String,
                                  connections: Int, seconds: Double) throws -> Double {
        let wrk = try BenchTools.require("wrk", package: "wrk")
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-bench-\(UUID().uuidString).lua")
        defer { try? FileManager.default.removeItem(at: script) }
        func lua(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var text = "wrk.method = \(lua(method))\nwrk.body = \(lua(body))\n"
        for (name, value) in headers { text += "wrk.headers[\(lua(name))] = \(lua(value))\n" }
        try text.write(to: script, atomically: true, encoding: .utf8)
        let output = try BenchTools.run([wrk, "-t1", "-c\(connections)", "-d\(Int(seconds.rounded(.up)))s", "-s", script.path, url])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
              let value = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces)) else {
            throw BenchTools.Failure(description: "could not read wrk's output:\n\(output)")
        }
        if output.contains("Non-2xx") { throw BenchTools.Failure(description: "wrk saw error responses:\n\(output)") }
        return value
    }
}
