@testable import MicrocosmAWS
import XCTest

/// CurlTransport keeps a response's header lines as bytes (`CurlResponseHead`) and `AWSHTTPHeaders` reads fields from
/// them only when asked. Everything a caller can see must be what the line-by-line reader it replaced built: that
/// reader is `Reference` below (the header callback of before, word for word), and each test compares the two.
final class AWSHTTPHeaderLinesTests: XCTestCase {
    /// The fields the header callback used to build, one line at a time.
    private enum Reference {
        static func fields(_ lines: [[UInt8]]) -> [AWSHTTPHeaders.Field] {
            var fields: [AWSHTTPHeaders.Field] = []
            for line in lines {
                line.withUnsafeBytes { bytes in
                    let length = bytes.count
                    if bytes.starts(with: "HTTP/".utf8) {
                        fields.removeAll(keepingCapacity: true)
                        return
                    }
                    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
                    var valueStart = colon + 1
                    var valueEnd = length
                    while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
                    while valueEnd > valueStart {
                        let last = bytes[valueEnd - 1]
                        guard last == 0x0d || last == 0x0a || last == 0x20 || last == 0x09 else { break }
                        valueEnd -= 1
                    }
                    let name = UnsafeRawBufferPointer(rebasing: bytes[..<colon])
                    let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd])
                    fields.append(AWSHTTPHeaders.Field(name: String(decoding: name, as: UTF8.self),
                                                       value: String(decoding: value, as: UTF8.self)))
                }
            }
            return fields
        }

        /// The last Content-Length field's value when it is a decimal number of up to 18 digits (after the last
        /// `HTTP/` line), else nil.
        static func contentLength(_ lines: [[UInt8]]) -> Int? {
            var found: Int?
            for line in lines {
                if line.starts(with: "HTTP/".utf8) { found = nil }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                      String(decoding: line[..<colon], as: UTF8.self).lowercased() == "content-length" else { continue }
                let value = fields([line]).first!.value
                found = value.count <= 18 && !value.isEmpty && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int(value) : nil
            }
            return found
        }
    }

    /// A small seeded generator, so a failure can be replayed.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    private static let names: [[UInt8]] = [
        Array("Content-Type".utf8), Array("content-length".utf8), Array("Content-Length".utf8), Array("CONTENT-LENGTH".utf8),
        Array("x-amzn-RequestId".utf8), Array("X-Multi".utf8), Array("x-multi".utf8), Array("Date".utf8), [],
        Array("Ünïcode".utf8), [0x58, 0xff, 0xfe], Array(" Spaced ".utf8), Array("Content-Lengths".utf8),
    ]
    private static let separators: [[UInt8]] = [Array(":".utf8), Array(": ".utf8), Array(":\t ".utf8), Array(" : ".utf8), []]
    private static let values: [[UInt8]] = [
        [], Array("v".utf8), Array("  spaced \t".utf8), Array("a:b: c".utf8), Array("12".utf8), Array("007".utf8),
        Array("1234567890123456789".utf8), Array("12x".utf8), Array("application/x-amz-json-1.0".utf8),
        Array(repeating: UInt8(ascii: "z"), count: 700), [0xc3, 0xa9, 0xff, 0x41], Array("Thu, 03 Dec 2026 09:30:00 GMT".utf8),
    ]
    private static let terminators: [[UInt8]] = [Array("\r\n".utf8), Array("\n".utf8), [], Array(" \r\n".utf8), Array("\r".utf8)]
    private static let statusLines: [[UInt8]] = [Array("HTTP/1.1 200 OK\r\n".utf8), Array("HTTP/1.1 100 Continue\r\n".utf8),
                                                 Array("HTTP/2 503\r\n".utf8), Array("HTTP/".utf8)]

    private static func randomLines(_ random: inout SplitMix) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        if Bool.random(using: &random) { lines.append(statusLines.randomElement(using: &random)!) }
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            switch Int.random(in: 0..<20, using: &random) {
            case 0: lines.append(statusLines.randomElement(using: &random)!)
            case 1: lines.append(Array("\r\n".utf8))
            case 2: lines.append([])
            default:
                lines.append(names.randomElement(using: &random)! + separators.randomElement(using: &random)!
                             + values.randomElement(using: &random)! + terminators.randomElement(using: &random)!)
            }
        }
        return lines
    }

    /// The headers as CurlTransport now hands them over: the lines through `CurlResponseHead`, reused as a handle
    /// reuses it.
    private static func viaHead(_ lines: [[UInt8]], _ head: inout CurlResponseHead) -> AWSHTTPHeaders {
        head.removeAll()
        for line in lines { line.withUnsafeBytes { head.append($0) } }
        return AWSHTTPHeaders(lines: head.lines)
    }

    private static func queries(_ fields: [AWSHTTPHeaders.Field]) -> [String] {
        var queries = ["", "absent", "content-length", "CONTENT-LENGTH", "x-multi", "X-MULTI", "Date", "\u{FFFD}",
                       "X\u{FFFD}\u{FFFD}", "x\u{FFFD}\u{FFFD}", "ünïcode", "Ünïcode", "content-lengtH", "Content-Type", "@", "`"]
        for field in fields { queries += [field.name, field.name.uppercased(), field.name.lowercased()] }
        return queries
    }

    func testResponseHead_givesTheFieldsTheLineByLineReaderGave() {
        var random = SplitMix(state: 14)
        var head = CurlResponseHead()
        defer { head.deallocate() }
        for round in 0..<1200 {
            let lines = AWSHTTPHeaderLinesTests.randomLines(&random)
            let expected = Reference.fields(lines)
            let eager = AWSHTTPHeaders(expected)
            let lazy = AWSHTTPHeaderLinesTests.viaHead(lines, &head)
            let context = "round \(round): \(lines.map { String(decoding: $0, as: UTF8.self) })"
            XCTAssertEqual(lazy.fields, expected, context)
            XCTAssertEqual(lazy.count, expected.count, context)
            XCTAssertEqual(Array(lazy), expected, context)
            XCTAssertEqual(lazy, eager, context)
            XCTAssertEqual(lazy.hashValue, eager.hashValue, context)
            XCTAssertEqual(lazy.description, eager.description, context)
            XCTAssertEqual(head.contentLength, Reference.contentLength(lines), context)
            for query in AWSHTTPHeaderLinesTests.queries(expected) {
                XCTAssertEqual(lazy[query], eager[query], "\(context), [\(query)]")
                XCTAssertEqual(lazy.values(for: query), eager.values(for: query), "\(context), values(for: \(query))")
                XCTAssertEqual(lazy.contains(query), eager.contains(query), "\(context), contains(\(query))")
            }
        }
    }

    func testResponseHead_changedFieldsChangeAsTheFieldsOfTheLineByLineReaderDo() {
        var random = SplitMix(state: 41)
        var head = CurlResponseHead()
        defer { head.deallocate() }
        for round in 0..<500 {
            let lines = AWSHTTPHeaderLinesTests.randomLines(&random)
            var eager = AWSHTTPHeaders(Reference.fields(lines))
            var lazy = AWSHTTPHeaderLinesTests.viaHead(lines, &head)
            let name = AWSHTTPHeaderLinesTests.queries(eager.fields).randomElement(using: &random)!
            switch round % 3 {
            case 0:
                lazy[name] = "new"
                eager[name] = "new"
            case 1:
                lazy[name] = nil
                eager[name] = nil
            default:
                lazy.add(name: name, value: "added")
                eager.add(name: name, value: "added")
            }
            XCTAssertEqual(lazy.fields, eager.fields, "round \(round), \(name)")
            XCTAssertEqual(lazy[name], eager[name], "round \(round), \(name)")
        }
    }

    func testResponseHead_keepsLinesLongerThanItsMemoryAndStartsOverForEachResponse() {
        var head = CurlResponseHead()
        defer { head.deallocate() }
        let long = (0..<40).map { Array("X-Long-\($0): \(String(repeating: "v", count: 100 + $0))\r\n".utf8) }
        let short = [Array("HTTP/1.1 200 OK\r\n".utf8), Array("Content-Length: 3\r\n".utf8), Array("\r\n".utf8)]
        for lines in [long, short, long + short, short + long, [], short] {
            XCTAssertEqual(AWSHTTPHeaderLinesTests.viaHead(lines, &head).fields, Reference.fields(lines))
        }
        XCTAssertEqual(head.contentLength, 3)
        XCTAssertEqual(AWSHTTPHeaders(lines: AWSHTTPHeaderLines([])), AWSHTTPHeaders())
    }
}
