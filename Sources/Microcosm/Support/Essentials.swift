// Small replacements for the few APIs of full Foundation the libraries used, so that a daemon's
// modules import only FoundationEssentials and its binary does not load libFoundation (issue #14).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock the thread holding it may take again (what `NSRecursiveLock` was used for).
package final class RecursiveLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }
    package func unlock() { pthread_mutex_unlock(mutex) }

    package func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock()
        defer { unlock() }
        return try body()
    }
}

extension StringProtocol {
    /// The text without the white space and newlines at either end (Unicode White_Space and U+200B, the set
    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` removes).
    package func trimmingWhitespace() -> String {
        func isWhitespace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace || scalar == "\u{200B}" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhitespace($0) })!
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars[first...last])
        return String(kept)
    }
}

/// Writes all of `bytes` to `descriptor`, again after a partial write or an interrupted call.
/// Returns false when the descriptor refuses them (closed pipe, full disk); the caller has nowhere to report that.
@discardableResult
package func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return false }
        offset += written
    }
    return true
}

@discardableResult
package func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { writeAll(descriptor, $0) }
}

@discardableResult
package func writeAll(_ descriptor: Int32, _ text: String) -> Bool {
    writeAll(descriptor, Array(text.utf8))
}

extension StringProtocol {
    /// The text without spaces and tabs at either end (Unicode space separators, U+0009 and U+200B, the set
    /// Foundation's `trimmingCharacters(in: .whitespaces)` removes).
    package func trimmingSpaces() -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars[first...last])
        return String(kept)
    }
}

/// `value` with `places` decimals (C's `%.<places>f`: rounded half to even on the binary value, `.` as separator;
/// a Swift program does not call setlocale, so the C locale holds).
package func formatDecimal(_ value: Double, places: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let needed = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(places)f", $0) }
    if needed >= buffer.count {
        buffer = [CChar](repeating: 0, count: Int(needed) + 1)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(places)f", $0) }
    }
    return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Whether `path` names a directory (after symbolic links); nil when nothing is there.
package func isDirectory(atPath path: String) -> Bool? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return (status.st_mode & S_IFMT) == S_IFDIR
}

/// The current user's home directory from the password database (what `NSHomeDirectory()` falls back to
/// when `HOME` is unset); "/" when there is none.
package func passwordDatabaseHomeDirectory() -> String {
    guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return "/" }
    return String(cString: directory)
}

/// Starts a detached thread running `body` (what `Thread { }.start()` was used for).
package func startDetachedThread(_ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t?
    #else
    var thread = pthread_t()
    #endif
    let result = pthread_create(&thread, nil, { context in
        #if canImport(Darwin)
        let box = Unmanaged<Box>.fromOpaque(context).takeRetainedValue()
        #else
        let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
        #endif
        box.body()
        return nil
    }, context)
    precondition(result == 0, "pthread_create failed: \(result)")
    #if canImport(Darwin)
    pthread_detach(thread!)
    #else
    pthread_detach(thread)
    #endif
}

/// A system call's failure: its `errno`, described as `strerror(3)` does.
package struct SystemCallError: Error, CustomStringConvertible {
    package let code: Int32
    package init(code: Int32) { self.code = code }
    package var description: String { String(cString: strerror(code)) }
}

/// Everything `descriptor` gives until its end (reading again after an interrupted call).
package func readToEnd(descriptor: Int32) throws(SystemCallError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            throw SystemCallError(code: errno)
        }
        bytes.append(contentsOf: chunk[..<count])
    }
}

/// The bytes of the file at `path`.
package func readFile(atPath path: String) throws(SystemCallError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw SystemCallError(code: errno) }
    defer { close(descriptor) }
    return try readToEnd(descriptor: descriptor)
}

extension String {
    /// The text followed by spaces up to `length` characters, or its first `length` characters
    /// (Foundation's `padding(toLength:withPad: " ", startingAt: 0)` for the ASCII texts it is used on).
    package func padded(toLength length: Int) -> String {
        count >= length ? String(prefix(length)) : self + String(repeating: " ", count: length - count)
    }
}

/// Names the calling thread for `top -H` and debuggers (at most 15 bytes reach the kernel).
package func nameCurrentThread(_ name: String) {
    #if canImport(Darwin)
    _ = pthread_setname_np(name)
    #else
    let descriptor = open("/proc/thread-self/comm", O_WRONLY)
    guard descriptor >= 0 else { return }
    _ = writeAll(descriptor, String(name.utf8.prefix(15))!)
    close(descriptor)
    #endif
}
