import Foundation
import Microcosm
import Synchronization
import XCTest

/// The small replacements for full Foundation the libraries use (so a daemon does not load libFoundation):
/// each gives what the Foundation call it replaced gives, checked against that call here.
final class EssentialsTests: XCTestCase {
    private let samples = ["", " ", "\t\n", "abc", "  abc  ", "\tabc\n", "\r\n a b \r\n", "\u{00A0}x\u{3000}", "\u{2028}y\u{2029}",
                           "\u{0085}z\u{000B}", "é \u{0301}", " \u{200B}w\u{200B} ", "a\u{2003}", "\n\nline\n"]

    func testTrimmingWhitespace_removesWhatFoundationsWhitespacesAndNewlinesRemoves() {
        for text in samples {
            XCTAssertEqual(text.trimmingWhitespace(), text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
            XCTAssertEqual(text.dropFirst(0).trimmingWhitespace(), text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    func testTrimming_agreesWithFoundation_onEveryScalarAlone() {
        for value in UInt32(0)..<0x30000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(Character(scalar)) + "b" + String(Character(scalar))
            XCTAssertEqual(text.trimmingSpaces(), text.trimmingCharacters(in: .whitespaces), "U+\(String(value, radix: 16))")
            XCTAssertEqual(text.trimmingWhitespace(), text.trimmingCharacters(in: .whitespacesAndNewlines), "U+\(String(value, radix: 16))")
        }
    }

    func testTrimmingSpaces_removesWhatFoundationsWhitespacesRemoves_notNewlines() {
        for text in samples {
            XCTAssertEqual(text.trimmingSpaces(), text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
        }
        XCTAssertEqual("\n a \n".trimmingSpaces(), "\n a \n")
    }

    func testFormatDecimal_isStringFormatWithAFixedNumberOfPlaces() {
        for value in [0, 0.005, 0.015, 0.125, 1.5, 2.5, -0.004, -1.235, 12345.6789, 1e20, 1e300, .infinity, -.infinity] {
            for places in [0, 1, 2, 3] {
                XCTAssertEqual(formatDecimal(value, places: places), String(format: "%.\(places)f", value), "\(value) \(places)")
            }
        }
        XCTAssertEqual(formatDecimal(.nan, places: 2), "nan")
        XCTAssertEqual(formatDecimal(1e300, places: 2).count, 304, "longer than the first buffer")
    }

    func testPadded_padsWithSpacesOrTruncates_asFoundationsPadding() {
        for (text, length) in [("create", 7), ("create", 6), ("delete", 3), ("", 2), ("schemas", 12)] {
            XCTAssertEqual(text.padded(toLength: length), text.padding(toLength: length, withPad: " ", startingAt: 0))
        }
    }

    func testRecursiveLock_canBeTakenAgainByItsThread_andExcludesOthers() {
        let lock = RecursiveLock()
        let inner = lock.withLock { lock.withLock { 42 } }
        XCTAssertEqual(inner, 42)
        let counter = Mutex(0)
        let unguarded = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        unguarded.initialize(to: 0)
        defer { unguarded.deallocate() }
        nonisolated(unsafe) let shared = unguarded
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1000 { lock.withLock { lock.withLock { shared.pointee += 1 } } }
            counter.withLock { $0 += 1 }
        }
        XCTAssertEqual(unguarded.pointee, 8000)
        XCTAssertEqual(counter.withLock { $0 }, 8)
    }

    func testWriteAll_thenReadToEnd_carryEveryByteThroughAPipe() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }   // more than a pipe holds: partial writes
        let received = Mutex<[UInt8]?>(nil)
        let done = DispatchSemaphore(value: 0)
        let readEnd = ends[0]
        DispatchQueue.global().async {
            received.withLock { $0 = try? readToEnd(descriptor: readEnd) }
            done.signal()
        }
        XCTAssertTrue(writeAll(ends[1], bytes))
        close(ends[1])
        done.wait()
        close(ends[0])
        XCTAssertEqual(received.withLock { $0 }, bytes)
    }

    func testReadFile_givesTheBytes_orTheSystemsReason() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("essentials-\(UUID().uuidString)").path
        try Data("héllo\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try readFile(atPath: path), Array("héllo\n".utf8))
        XCTAssertThrowsError(try readFile(atPath: "/nonexistent/file")) { error in
            XCTAssertEqual("\(error)", "No such file or directory")
        }
        XCTAssertEqual(isDirectory(atPath: path), false)
        XCTAssertEqual(isDirectory(atPath: FileManager.default.temporaryDirectory.path), true)
        XCTAssertNil(isDirectory(atPath: "/nonexistent/file"))
    }

    func testPasswordDatabaseHomeDirectory_isAnExistingDirectory() {
        XCTAssertEqual(isDirectory(atPath: passwordDatabaseHomeDirectory()), true, passwordDatabaseHomeDirectory())
    }

    func testStartDetachedThread_runsTheBodyOnAnotherThread_namedAsAsked() {
        let done = DispatchSemaphore(value: 0)
        let seen = Mutex<(Bool, String)?>(nil)
        startDetachedThread {
            nameCurrentThread("a-rather-long-thread-name")
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            seen.withLock { $0 = (Thread.isMainThread, comm) }
            done.signal()
        }
        done.wait()
        let (isMain, comm) = seen.withLock { $0 }!
        XCTAssertFalse(isMain)
        #if os(Linux)
        XCTAssertEqual(comm, "a-rather-long-t\n", "the kernel keeps 15 bytes")
        #endif
    }
}
