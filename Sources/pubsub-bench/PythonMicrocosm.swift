import Foundation
import Microcosm
import MicrocosmPubSubDaemon

/// microcosm-pubsub 3.0.0 in a Python virtual environment the bench makes (once, under
/// `$XDG_CACHE_HOME/pubsub-bench`, or `~/.cache/pubsub-bench`), and the two Python programs the CPU benches run:
/// a consumer daemon with a no-op handler and a producer loop.
struct PythonMicrocosm {
    static let version = "3.0.0"

    /// The virtual environment's python.
    let python: String
    /// Where the scripts were written (a temporary folder, removed by ``remove()``).
    let folder: URL

    var daemonScript: String { folder.appendingPathComponent("noop_daemon.py").path }
    var producerScript: String { folder.appendingPathComponent("produce.py").path }

    /// The virtual environment (made, and microcosm-pubsub installed with pip, when missing) and the scripts.
    /// python-json-logger is held below 3, which microcosm-logging 2.0.0 cannot import.
    static func prepare() throws -> PythonMicrocosm {
        let system = try BenchTools.require("python3", package: "python3")
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let environment = cache.appendingPathComponent("pubsub-bench/microcosm-pubsub-\(version)")
        let python = environment.appendingPathComponent("bin/python").path
        let check = "import microcosm_pubsub, boto3; from pythonjsonlogger.jsonlogger import merge_record_extra"
        if (try? BenchTools.run([python, "-c", check], quiet: true)) == nil {
            printError("==> making a Python virtual environment with microcosm-pubsub==\(version) (pip) in \(environment.path)")
            try FileManager.default.createDirectory(at: environment.deletingLastPathComponent(), withIntermediateDirectories: true)
            if (try? BenchTools.run([system, "-m", "venv", "--clear", environment.path], quiet: true)) == nil {
                // Debian's python3 makes virtual environments only with python3-venv installed.
                printError("==> installing python3-venv (apt-get)")
                try BenchTools.installAptPackage("python3-venv")
                try BenchTools.run([system, "-m", "venv", "--clear", environment.path], quiet: true)
            }
            // microcosm-logging 2.0.0 (a dependency) imports merge_record_extra, which python-json-logger 3 removed.
            try BenchTools.run([python, "-m", "pip", "install", "-q", "microcosm-pubsub==\(version)", "python-json-logger<3"],
                               quiet: true)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-bench-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scripts = PythonMicrocosm(python: python, folder: folder)
        try daemon.write(toFile: scripts.daemonScript, atomically: true, encoding: .utf8)
        try producer.write(toFile: scripts.producerScript, atomically: true, encoding: .utf8)
        let versions = try BenchTools.run([python, "-c",
                                           "import boto3, importlib.metadata as m; print(m.version('microcosm-pubsub'), boto3.__version__)"])
        printError("microcosm-pubsub and boto3: \(versions.trimmingCharacters(in: .whitespacesAndNewlines))")
        return scripts
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A microcosm-pubsub consumer daemon whose one handler (created.foo_bar) returns True.
    /// Run as `python noop_daemon.py --sqs-queue-url URL`; configured by NOOP_DAEMON__* variables.
    static let daemon = #"""
    from microcosm.api import binding
    from microcosm_pubsub.conventions import created
    from microcosm_pubsub.daemon import ConsumerDaemon
    from microcosm_pubsub.decorators import handles


    @handles(created("FooBar"))
    def noop(message):
        return True


    @binding("noop_handler")
    def configure_noop_handler(graph):
        return noop


    class NoopDaemon(ConsumerDaemon):
        @property
        def name(self):
            return "noop-daemon"

        @property
        def components(self):
            return super().components + ["noop_handler"]


    if __name__ == "__main__":
        NoopDaemon().run()
    """#

    /// `python produce.py COUNT`: COUNT `sns_producer.produce(created("FooBar"), uri=...)` calls on a graph
    /// named bench-producer, configured by BENCH_PRODUCER__* variables.
    static let producer = #"""
    import sys

    from microcosm.api import create_object_graph
    from microcosm.loaders import load_from_environ
    from microcosm_pubsub.conventions import created

    count = int(sys.argv[1])
    graph = create_object_graph("bench-producer", loader=load_from_environ)
    graph.use("sns_producer")
    graph.lock()
    for index in range(count):
        graph.sns_producer.produce(created("FooBar"), uri="http://example.com/foo_bars/%d" % index)
    """#
}
