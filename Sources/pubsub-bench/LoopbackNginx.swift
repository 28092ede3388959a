import Foundation

/// An nginx on a free loopback port that answers every request with one canned body, or with a
/// body chosen by the request's `X-Amz-Target` header (an nginx `map`), falling back to `body`.
final class LoopbackNginx {
    let port: Int
    private let process: Process
    private let directory: URL

    init(body: String, contentType: String, repliesByTarget: [String: String] = [:]) throws {
        let nginx = try BenchTools.require("nginx", package: "nginx")
        port = try BenchTools.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-bench-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func quoted(_ text: String) throws -> String {
            guard !text.contains("$") else { throw BenchTools.Failure(description: "a canned nginx reply may not contain '$'") }
            return "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var map = ""
        var reply = try quoted(body)
        if !repliesByTarget.isEmpty {
            map = "map $http_x_amz_target $canned_reply {\n        default \(reply);\n"
            for target in repliesByTarget.keys.sorted() {
                map += "        \(try quoted(target)) \(try quoted(repliesByTarget[target]!));\n"
            }
            map += "    }"
            reply = "$canned_reply"
        }
        let config = """
        worker_processes 1;
        pid \(directory.path)/nginx.pid;
        error_log stderr error;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path \(directory.path)/body;
            keepalive_requests 1000000;
            keepalive_timeout 60s;
            \(map)
            server {
                listen 127.0.0.1:\(port);
                location / {
                    default_type \(contentType);
                    return 200 \(reply);
                }
            }
        }
        """
        let configPath = directory.appendingPathComponent("nginx.conf").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        process = Process()
        let command = BenchTools.serverCPUPrefix + [nginx, "-p", directory.path, "-c", configPath, "-g", "daemon off;"]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardError = FileHandle.standardError
        try process.run()
        try waitUntilListening()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    private func waitUntilListening() throws {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return }
            guard process.isRunning else { throw BenchTools.Failure(description: "nginx exited at start (see its messages above)") }
            usleep(50_000)
        }
        throw BenchTools.Failure(description: "nginx did not start listening on port \(port)")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
