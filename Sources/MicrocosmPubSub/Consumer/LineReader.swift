import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Musl)
import Musl
private let systemRead = Musl.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Reads lines of JSON from a file handle (standard input, a replay file) for a ``MessageSource``.
///
/// Reads happen on a queue of their own, so a blocking read (a terminal, a pipe) never holds a
/// thread of Swift's cooperative pool. Blank lines are skipped; `\r\n` endings are accepted.
/// Python's readers wait for `limit` lines; this one returns the lines it has as soon as it has
/// one, so a daemon reading a live pipe handles each line when it comes.
package final class LineReader: Sendable {
    private struct State: ~Copyable {
        var buffer: [UInt8] = []
        var start = 0
        var endOfInput = false
    }

    /// What the source is, for messages (`standard input`, `file '/x.jsonl'`).
    let name: String
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private let state = Mutex(State())
    private let exhausted = Atomic<Bool>(false)
    private let queue: DispatchQueue
    private static let chunkSize = 64 * 1024

    init(descriptor: Int32, name: String, closesDescriptor: Bool) {
        self.descriptor = descriptor
        self.name = name
        self.closesDescriptor = closesDescriptor
        self.queue = DispatchQueue(label: "microcosm.pubsub.lines")
    }

    deinit {
        if closesDescriptor { _ = close(descriptor) }
    }

    /// True once every line has been handed out.
    var isExhausted: Bool { exhausted.load(ordering: .acquiring) }

    /// 1...`limit` lines: those complete in what has been read, reading more only while there are
    /// none (so a live pipe's lines come as they arrive); none once the input is exhausted.
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
                // Hand out what is complete rather than wait for more input (a live pipe may pause).
                if !lines.isEmpty { break }
                state.buffer.removeSubrange(0..<state.start)
                state.start = 0
                if try readChunk(into: &state.buffer) == 0 { state.endOfInput = true }
            }
            return lines
        }
    }

    /// Appends what one read(2) returns (as soon as anything is there, unlike Foundation's `FileHandle.read(upToCount:)`,
    /// which waits for the whole count); 0 at the end of the input.
    private func readChunk(into buffer: inout [UInt8]) throws -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunkSize))
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                systemRead(descriptor, bytes.baseAddress! + start, Self.chunkSize)
            }
            if count >= 0 {
                buffer.removeLast(Self.chunkSize - count)
                return count
            }
            guard errno == EINTR else {
                let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                buffer.removeLast(Self.chunkSize)
                throw SQSConsumerError.unreadableSource(name, error)
            }
        }
    }

    private func append(_ bytes: ArraySlice<UInt8>, to lines: inout [String]) {
        var line = bytes
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        lines.append(String(decoding: line, as: UTF8.self))
    }
}
