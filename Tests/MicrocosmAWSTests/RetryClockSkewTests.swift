@testable import MicrocosmAWS
import XCTest

final class RetryClockSkewTests: XCTestCase {
    private let threshold = Duration.seconds(300)
    private let now = Date(timeIntervalSince1970: 1_795_960_800) // Sun, 29 Nov 2026 14:00:00 GMT

    private func skewResponse(date: String?) -> AWSHTTPResponse {
        var headers: AWSHTTPHeaders = [:]
        if let date { headers["Date"] = date }
        return AWSHTTPResponse(status: 403, headers: headers)
    }

    private let skewError = AWSError(code: "SignatureDoesNotMatch", message: "Signature expired", statusCode: 403)

    func testHTTPDate_parsesIMFFixdate() {
        XCTAssertEqual(HTTPDate.parse("Sun, 29 Nov 2026 14:00:00 GMT"), now)
        XCTAssertEqual(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT"), Date(timeIntervalSince1970: 0))
        XCTAssertEqual(HTTPDate.parse("Tue, 29 Feb 2028 23:59:59 GMT"), Date(timeIntervalSince1970: 1_835_481_599))
        XCTAssertEqual(HTTPDate.parse("29 Nov 2026 14:00:00 GMT"), now)
    }

    func testHTTPDate_rejectsOtherShapes() {
        for text in ["", "yesterday", "Sun, 29 Nov 2026 14:00 GMT", "Sun, 29 Foo 2026 14:00:00 GMT", "Sun, 32 Nov 2026 14:00:00 GMT",
                     "Sun, 29 Nov 2026 24:00:00 GMT", "Sun, 29 Nov 2026 14:00:00 PST", "2026-11-29T14:00:00Z",
                     "Sunday, 29-Nov-26 14:00:00 GMT"] {
            XCTAssertNil(HTTPDate.parse(text), text)
        }
    }

    func testCorrect_learnsTheOffsetFromTheDateHeader() {
        let skew = ClockSkew()
        let offset = skew.correct(after: skewError, response: skewResponse(date: "Sun, 29 Nov 2026 14:10:00 GMT"), now: now,
                                  threshold: threshold)
        XCTAssertEqual(offset, 600)
        XCTAssertEqual(skew.seconds, 600)
        XCTAssertEqual(skew.corrected(now), now.addingTimeInterval(600))
    }

    func testCorrect_worksForASlowServerClockToo() {
        let skew = ClockSkew()
        XCTAssertEqual(skew.correct(after: AWSError(code: "RequestTimeTooSkewed", message: "", statusCode: 403),
                                    response: skewResponse(date: "Sun, 29 Nov 2026 13:00:00 GMT"), now: now, threshold: threshold), -3600)
    }

    func testCorrect_ignoresSmallSkewsOtherCodesAndMissingDates() {
        let skew = ClockSkew()
        XCTAssertNil(skew.correct(after: skewError, response: skewResponse(date: "Sun, 29 Nov 2026 14:04:59 GMT"), now: now,
                                  threshold: threshold))
        XCTAssertNil(skew.correct(after: AWSError(code: "AccessDenied", message: "", statusCode: 403),
                                  response: skewResponse(date: "Sun, 29 Nov 2026 15:00:00 GMT"), now: now, threshold: threshold))
        XCTAssertNil(skew.correct(after: skewError, response: skewResponse(date: nil), now: now, threshold: threshold))
        XCTAssertNil(skew.correct(after: skewError, response: skewResponse(date: "not a date"), now: now, threshold: threshold))
        XCTAssertEqual(skew.seconds, 0)
    }

    func testCorrect_measuresFromTheAlreadyCorrectedClock() {
        let skew = ClockSkew()
        let response = skewResponse(date: "Sun, 29 Nov 2026 14:10:00 GMT")
        XCTAssertEqual(skew.correct(after: skewError, response: response, now: now, threshold: threshold), 600)
        XCTAssertNil(skew.correct(after: skewError, response: response, now: now, threshold: threshold),
                     "once corrected, the same server date is no longer a skew")
    }
}
