import Foundation
import MicrocosmPubSub

/// Appends one line per handler event to a file (O_APPEND: each line is one write, whole).
final class ChaosRecorder: Sendable {
    let handleTime: Duration
    private let descriptor: Int32?

    init(path: String?, handleTime: Duration) throws {
        self.handleTime = handleTime
        guard let path, !path.isEmpty else {
            descriptor = nil
            return
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw BenchTools.Failure(description: "chaos_daemon.record_path: cannot open '\(path)' (errno \(errno))")
        }
        self.descriptor = descriptor
    }

    func record(_ event: String, _ id: String, _ message: ConsumedMessage) {
        guard let descriptor else { return }
        let line = "\(event) \(id) \(message.receiveCount) \(message.messageId)\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    deinit {
        if let descriptor { close(descriptor) }
    }
}
