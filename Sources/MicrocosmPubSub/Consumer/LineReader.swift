import Dispatch
import Foundation
import Synchronization

/// Reads lines of JSON from a file handle (standard input, a replay file) for a ``MessageSource``.
///
/// Reads happen on a queue of their own, so a blocking read (a terminal, a pipe) never holds a
/// thread of Swift's cooperative pool. Blank lines are skipped; `\r\n` endings are accepted.
final class LineReader: Sendable {
    private struct State: ~Copyable {
        var buffer: [UInt8] = []
        var start = 0
        var endOfInput = false
    }

    /// What the source is, for messages (`standard input`, `file '/x.jsonl'`).
    let name: String
    private let handle: FileHandle
    private let closesHandle: Bool
    private let state = Mutex(State())
    private let exhausted = Atomic<Bool>(false)
    private let queue: DispatchQueue
    private static let chunkSize = 64 * 1024

    init(handle: FileHandle, name: String, closesHandle: Bool) {
        self.handle = handle
        self.name = name
        self.closesHandle = closesHandle
        self.queue = DispatchQueue(label: "microcosm.pubsub.lines")
    }

    deinit {
        if closesHandle { try? handle.close() }
    }

    /// True once every line has been handed out.
    var isExhausted: Bool { exhausted.load(ordering: .acquiring) }

    /// Up to `limit` lines; fewer only at the end of the input, none once it is exhausted.
    func next(limit: Int) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.read(limit: limit) })
            }
        }
    }

    private func read(limit: Int) throws -> [String] {
        try state.withLock { state throws -> [String] in
            var lines: [String] = []
            while lines.count < limit {
                if let newline = state.buffer[state.start...].firstIndex(of: UInt8(ascii: "\n")) {
                    append(state.buffer[state.start..<newline], to: &lines)
                    state.start = newline + 1
                    continue
                }
                if state.endOfInput {
                    append(state.buffer[state.start...], to: &lines)
                    state.buffer.removeAll()
                    state.start = 0
                    exhausted.store(true, ordering: .releasing)
                    break
                }
                state.buffer.removeSubrange(0..<state.start)
                state.start = 0
                let chunk: Data?
                do {
                    chunk = try handle.read(upToCount: Self.chunkSize)
                } catch {
                    throw SQSConsumerError.unreadableSource(name, error)
                }
                if let chunk, !chunk.isEmpty {
                    state.buffer.append(contentsOf: chunk)
                } else {
                    state.endOfInput = true
                }
            }
            return lines
        }
    }

    private func append(_ bytes: ArraySlice<UInt8>, to lines: inout [String]) {
        var line = bytes
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        lines.append(String(decoding: line, as: UTF8.self))
    }
}
