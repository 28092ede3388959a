import Microcosm
import MicrocosmPubSub

/// The chaos daemon's handler (binding `chaos_daemon`).
struct ChaosHandler: MessageHandler {
    let recorder: ChaosRecorder

    init(graph: Graph) throws {
        recorder = try graph.resolve("chaos_daemon")
    }

    func handle(_ message: ConsumedMessage) async throws -> Bool {
        let uri = message.uri ?? ""
        let id = uri.split(separator: "/").last.map(String.init) ?? "-"
        recorder.record("start", id, message)
        if recorder.handleTime > .zero {
            do {
                try await Task.sleep(for: recorder.handleTime)
            } catch {
                recorder.record("cancel", id, message)
                throw error
            }
        }
        if uri.contains("/poison/") {
            recorder.record("fail", id, message)
            throw ChaosPoison(id: id)
        }
        recorder.record("done", id, message)
        return true
    }
}

/// The failure of a poison message's handler.
struct ChaosPoison: Error, CustomStringConvertible {
    let id: String
    var description: String { "poison message \(id)" }
}
