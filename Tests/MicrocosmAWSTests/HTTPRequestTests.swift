import MicrocosmAWS
import XCTest

final class HTTPRequestTests: XCTestCase {
    func testParse_splitsTheURL() throws {
        let request = try AWSHTTPRequest(method: "POST", url: "https://sqs.us-east-1.amazonaws.com/123456789012/things?a=1&b=2")
        XCTAssertEqual(request.scheme, "https")
        XCTAssertEqual(request.host, "sqs.us-east-1.amazonaws.com")
        XCTAssertNil(request.port)
        XCTAssertEqual(request.path, "/123456789012/things")
        XCTAssertEqual(request.query, "a=1&b=2")
        XCTAssertEqual(request.hostHeader, "sqs.us-east-1.amazonaws.com")
        XCTAssertEqual(request.url, "https://sqs.us-east-1.amazonaws.com/123456789012/things?a=1&b=2")
    }

    func testParse_keepsNonDefaultPortsAndDropsDefaultOnes() throws {
        XCTAssertEqual(try AWSHTTPRequest(method: "GET", url: "http://127.0.0.1:5000").hostHeader, "127.0.0.1:5000")
        XCTAssertEqual(try AWSHTTPRequest(method: "GET", url: "http://127.0.0.1:5000").path, "/")
        XCTAssertEqual(try AWSHTTPRequest(method: "GET", url: "http://example.com:80/x").hostHeader, "example.com")
        XCTAssertEqual(try AWSHTTPRequest(method: "GET", url: "https://example.com:443").hostHeader, "example.com")
        XCTAssertEqual(try AWSHTTPRequest(method: "GET", url: "http://[::1]:8080/x").hostHeader, "[::1]:8080")
        XCTAssertEqual(try AWSHTTPRequest(method: "GET", url: "http://[::1]:8080/x").host, "::1")
    }

    func testURLCString_isTheURL() throws {
        let requests = [
            try AWSHTTPRequest(method: "GET", url: "http://127.0.0.1:8080/"),
            try AWSHTTPRequest(method: "POST", url: "https://sqs.us-east-1.amazonaws.com/123/q?Action=Send&x=%2F"),
            try AWSHTTPRequest(method: "GET", url: "http://[::1]:9/a/b?"),
            try AWSHTTPRequest(method: "GET", url: "HTTPS://[fe80::1]/é"),
            AWSHTTPRequest(method: "GET", scheme: "http", host: "h", port: 65535, path: "/p", query: ""),
            AWSHTTPRequest(method: "GET", scheme: "http", host: "h", port: 0, path: "/p"),
            AWSHTTPRequest(method: "GET", scheme: "http", host: String(repeating: "x", count: 300), port: 7, path: "/" + String(repeating: "y", count: 5000),
                        query: String(repeating: "z", count: 5000)),
        ]
        for request in requests {
            XCTAssertEqual(request.withURLCString { String(cString: $0) }, request.url)
        }
    }

    func testParse_rejectsBadURLsNamingThem() {
        for url in ["sqs.amazonaws.com/x", "ftp://host/x", "http://:80/x", "http://host:99999/", "http://host:abc/"] {
            XCTAssertThrowsError(try AWSHTTPRequest(method: "GET", url: url)) { error in
                XCTAssertTrue("\(error)".contains(url), "\(error)")
            }
        }
    }

    func testHeaders_caseInsensitiveAndRedactedInDescriptions() {
        var headers: AWSHTTPHeaders = ["Content-Type": "a", "X-Amz-Security-Token": "SENTINEL-TOKEN", "Authorization": "SENTINEL-AUTH"]
        XCTAssertEqual(headers["content-type"], "a")
        headers["CONTENT-TYPE"] = "b"
        XCTAssertEqual(headers.values(for: "content-type"), ["b"])
        headers.add(name: "x-multi", value: "1")
        headers.add(name: "X-Multi", value: "2")
        XCTAssertEqual(headers.values(for: "x-multi"), ["1", "2"])
        headers["x-multi"] = nil
        XCTAssertFalse(headers.contains("X-MULTI"))
        let request = AWSHTTPRequest(method: "GET", scheme: "https", host: "h", headers: headers)
        XCTAssertFalse("\(request)".contains("SENTINEL"))
        XCTAssertFalse(String(reflecting: request).contains("SENTINEL"))
        var dumped = ""
        dump(request, to: &dumped)
        XCTAssertFalse(dumped.contains("SENTINEL"), dumped)
        XCTAssertTrue("\(request)".contains("Authorization: <redacted>"))
    }

    func testCredentials_descriptionsNeverShowSecrets() {
        let credentials = AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "SENTINEL-SECRET", sessionToken: "SENTINEL-TOKEN")
        for text in ["\(credentials)", String(reflecting: credentials), { var out = ""; dump(credentials, to: &out); return out }()] {
            XCTAssertFalse(text.contains("SENTINEL"), text)
            XCTAssertFalse(text.contains("AKIAEXAMPLE"), text)
        }
    }
}
