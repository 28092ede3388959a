import Foundation
import MicrocosmAWS
import XCTest

/// The official SigV4 test suite (aws-c-auth's, as botocore ships it) from ../shared/aws/sigv4-testsuite:
/// each `.req` is parsed into an ``AWSHTTPRequest`` and signed; the canonical request must equal `.creq`, the string to
/// sign `.sts`, and the Authorization header `.authz`.
final class SigV4TestSuiteTests: XCTestCase {
    // From the suite's INDEX.tsv header.
    private static let accessKeyId = "AKIDEXAMPLE"
    private static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    private static let date = Date(timeIntervalSince1970: 1_440_938_160)   // 2015-08-30T12:36:00Z
    private static let signer = SigV4Signer(service: "service", region: "us-east-1")

    func testSuite_casesBotocoreRuns_matchCanonicalRequestStringToSignAndAuthorization() throws {
        let suite = try Self.suite()
        let cases = suite.cases.filter { !suite.botocoreSkips.contains($0) }
        XCTAssertEqual(cases.count, 30, "INDEX.tsv lists 34 cases, of which botocore skips 4")
        for name in cases { try check(name, in: suite.folder) }
    }

    func testSuite_casesBotocoreSkips_matchToo() throws {
        // botocore skips these for limits of its own test harness (Python's request parser rejects a space in the
        // path; a dict drops repeated query keys). Our parser and signer have neither limit.
        let suite = try Self.suite()
        XCTAssertEqual(suite.botocoreSkips.sorted(), ["get-vanilla-query-order-key", "get-vanilla-query-order-key-case",
                                                      "get-vanilla-query-order-value", "normalize-path/get-space"])
        for name in suite.botocoreSkips { try check(name, in: suite.folder) }
    }

    func testSuite_signatureColumnOfTheIndex_matchesOurSignatures() throws {
        let suite = try Self.suite()
        for (name, signature) in suite.signatures {
            let (request, credentials) = try Self.load(name, in: suite.folder)
            let signed = Self.signer.sign(request, credentials: credentials, date: Self.date)
            XCTAssertEqual(signed.headers["Authorization"]?.components(separatedBy: "Signature=").last, signature, name)
        }
    }

    // MARK: - Helpers

    private func check(_ name: String, in folder: URL) throws {
        let (request, credentials) = try Self.load(name, in: folder)
        let expectedCanonical = try Self.text(name, "creq", in: folder)
        let expectedStringToSign = try Self.text(name, "sts", in: folder)
        let expectedAuthorization = try Self.text(name, "authz", in: folder)
        XCTAssertEqual(Self.signer.canonicalRequest(for: request, credentials: credentials, date: Self.date),
                       expectedCanonical, "\(name): canonical request")
        XCTAssertEqual(Self.signer.stringToSign(for: request, credentials: credentials, date: Self.date),
                       expectedStringToSign, "\(name): string to sign")
        let signed = Self.signer.sign(request, credentials: credentials, date: Self.date)
        XCTAssertEqual(signed.headers["Authorization"], expectedAuthorization, "\(name): Authorization")
        XCTAssertEqual(signed.headers.values(for: "X-Amz-Date"), ["20150830T123600Z"], "\(name): X-Amz-Date")
        XCTAssertEqual(signed.headers.values(for: "Authorization").count, 1, "\(name): one Authorization header")
    }

    private struct Suite {
        let folder: URL
        let cases: [String]
        let signatures: [(String, String)]
        let botocoreSkips: Set<String>
    }

    /// The suite folder, found from this file: repository root, then `../shared/aws/sigv4-testsuite`.
    private static func suite() throws -> Suite {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = root.deletingLastPathComponent().appendingPathComponent("shared/aws/sigv4-testsuite")
        let index = folder.appendingPathComponent("INDEX.tsv")
        guard FileManager.default.fileExists(atPath: index.path) else {
            let reason = "SigV4 test suite not found at \(folder.path) (it lives in ../shared beside the repository); "
                + "suite cases not run"
            print("note: \(reason)")
            throw XCTSkip(reason)
        }
        var cases: [String] = []
        var signatures: [(String, String)] = []
        var skips: Set<String> = []
        for line in try String(contentsOf: index, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("# botocore skips:") {
                skips = Set(line.dropFirst("# botocore skips:".count).split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) })
            } else if !line.hasPrefix("#") {
                let columns = line.split(separator: "\t").map(String.init)
                guard columns.count == 2 else { continue }
                cases.append(columns[0])
                signatures.append((columns[0], columns[1]))
            }
        }
        XCTAssertEqual(cases.count, 34, "INDEX.tsv cases")
        return Suite(folder: folder, cases: cases, signatures: signatures, botocoreSkips: skips)
    }

    private static func file(_ name: String, _ suffix: String, in folder: URL) -> URL {
        folder.appendingPathComponent(name).appendingPathComponent("\(name.split(separator: "/").last ?? "").\(suffix)")
    }

    private static func text(_ name: String, _ suffix: String, in folder: URL) throws -> String {
        try String(contentsOf: file(name, suffix, in: folder), encoding: .utf8).replacingOccurrences(of: "\r", with: "")
    }

    /// The case's request, and the suite's credentials (with the session token when the canonical request signs
    /// one, as botocore's harness does).
    private static func load(_ name: String, in folder: URL) throws -> (AWSHTTPRequest, AWSCredentials) {
        let raw = try [UInt8](Data(contentsOf: file(name, "req", in: folder)))
        let request = try SuiteRequestParser.parse(raw, name: name)
        let canonical = try text(name, "creq", in: folder)
        let token = canonical.split(separator: "\n").first { $0.hasPrefix("x-amz-security-token:") }
            .map { String($0.dropFirst("x-amz-security-token:".count)) }
        return (request, AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: token))
    }
}

/// Reads the suite's raw HTTP requests: a request line whose target may hold raw UTF-8 and spaces, `Name:value`
/// header lines (a line starting with whitespace continues the previous value), a blank line, then the body.
enum SuiteRequestParser {
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ raw: [UInt8], name: String) throws -> AWSHTTPRequest {
        let (head, body) = split(raw)
        var lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\n")
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        while lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw ParseError(description: "\(name).req: empty request") }
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
              firstSpace < lastSpace else {
            throw ParseError(description: "\(name).req: bad request line '\(requestLine)'")
        }
        let method = String(requestLine[..<firstSpace])
        let target = requestLine[requestLine.index(after: firstSpace)..<lastSpace]
        var fields: [AWSHTTPHeaders.Field] = []
        for line in lines {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append(.init(name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
            } else {
                throw ParseError(description: "\(name).req: bad header line '\(line)'")
            }
        }
        let headers = AWSHTTPHeaders(fields)
        guard let host = headers["Host"]?.trimmingCharacters(in: .whitespaces) else {
            throw ParseError(description: "\(name).req: no Host header")
        }
        let path: Substring
        var query: String?
        if let questionMark = target.firstIndex(of: "?") {
            path = target[..<questionMark]
            query = String(target[target.index(after: questionMark)...])
        } else {
            path = target
        }
        return AWSHTTPRequest(method: method, scheme: "https", host: host, path: String(path), query: query,
                           headers: headers, body: body)
    }

    /// The bytes before the first blank line, and the body after it (none when there is no blank line).
    private static func split(_ raw: [UInt8]) -> (head: ArraySlice<UInt8>, body: [UInt8]) {
        let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var index = 0
        while index < raw.count {
            if raw[index] == newline {
                var next = index + 1
                if next < raw.count && raw[next] == carriageReturn { next += 1 }
                if next < raw.count && raw[next] == newline { return (raw[..<index], Array(raw[(next + 1)...])) }
            }
            index += 1
        }
        return (raw[...], [])
    }
}
