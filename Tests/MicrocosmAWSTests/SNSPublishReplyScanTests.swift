@testable import MicrocosmAWS
import XCTest

/// A Publish reply read by the scan gives what parsing it whole gives, and replies of any other
/// shape are parsed whole.
final class SNSPublishReplyScanTests: XCTestCase {
    /// What a caller can read from a reply: the values Publish returns, or the error.
    private struct Reading: Equatable {
        var messageId: String?
        var sequenceNumber: String?
        var error: SNSReplyError?
    }

    private func reading(_ body: [UInt8], headers: AWSHTTPHeaders, scanning: Bool) -> Reading {
        do {
            let result = try SNSClient.publishResult(AWSHTTPResponse(status: 200, headers: headers, body: body), subject: "TopicArn 't'",
                                                     scanning: scanning)
            return Reading(messageId: result.messageId, sequenceNumber: result.sequenceNumber)
        } catch {
            return Reading(error: error)
        }
    }

    /// Checks the scanned reading equals the parsed one (and the scanned request id the parsed
    /// reply's); returns whether the scan took it.
    @discardableResult
    private func check(_ text: String, headers: AWSHTTPHeaders = [:], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        check(Array(text.utf8), headers: headers, file: file, line: line)
    }

    @discardableResult
    private func check(_ body: [UInt8], headers: AWSHTTPHeaders = [:], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        XCTAssertEqual(reading(body, headers: headers, scanning: true), reading(body, headers: headers, scanning: false),
                       String(decoding: body, as: UTF8.self), file: file, line: line)
        guard let scan = SNSPublishReplyScan(body) else { return false }
        let parsed = try? SNSReply(AWSHTTPResponse(status: 200, headers: headers, body: body), action: "Publish", subject: "TopicArn 't'")
        XCTAssertEqual(scan.requestId ?? headers["x-amzn-RequestId"] ?? headers["x-amz-request-id"], parsed?.requestId,
                       String(decoding: body, as: UTF8.self), file: file, line: line)
        return true
    }

    /// moto's reply (one line), and AWS's layout with a prologue, indentation and a SequenceNumber.
    private static let moto = SNSReplies.publish, aws = SNSReplies.publishFIFO

    /// Carriage returns and tabs between elements, no ResponseMetadata.
    private static let fifo = """
        <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\r
          <PublishResult>\t<MessageId>f5bd1ea6</MessageId>\r\n<SequenceNumber>10000000000000003000</SequenceNumber></PublishResult>
        </PublishResponse>

        """

    func testUsualReplies_areScanned_andReadAsParsed() {
        for text in [Self.aws, Self.fifo, Self.moto] {
            XCTAssertTrue(check(text), text)
            XCTAssertTrue(check(text, headers: ["x-amzn-RequestId": "from-header"]), text)
        }
        let scan = SNSPublishReplyScan(Array(Self.fifo.utf8))
        XCTAssertEqual(scan?.messageId, "f5bd1ea6")
        XCTAssertEqual(scan?.sequenceNumber, "10000000000000003000")
        XCTAssertNil(scan?.requestId)
        XCTAssertTrue(check(Self.fifo, headers: ["x-amz-request-id": "h"]))
    }

    func testValuesAsWritten_nonASCIIAndSpaces_areScanned() {
        for id in ["", " spaced ", "ünïcödé-🙂", "a\nb", "quote\"d", "a>b", "\u{301}"] {
            XCTAssertTrue(check(Self.moto.replacingOccurrences(of: "8ed628a0-d7f9-4e62-b909-47845c5d862b", with: id)), id)
        }
        // Invalid UTF-8 reads as the parser reads it.
        var bytes = Array(Self.moto.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "8"))!
        bytes.replaceSubrange(at..<at + 2, with: [0xff, 0xc3])
        XCTAssertTrue(check(bytes))
    }

    func testOtherShapes_areParsedWhole() {
        let variants = [
            Self.moto.replacingOccurrences(of: "8ed628a0", with: "a&amp;b"),                 // a reference
            Self.moto.replacingOccurrences(of: "8ed628a0", with: "<![CDATA[x]]>"),           // CDATA
            Self.moto.replacingOccurrences(of: "<PublishResult>", with: "<PublishResult><!-- c -->"),
            Self.moto.replacingOccurrences(of: "PublishResponse", with: "sns:PublishResponse"),
            Self.moto.replacingOccurrences(of: "MessageId", with: "sns:MessageId"),
            Self.moto.replacingOccurrences(of: "<PublishResult>", with: "<PublishResult >"),
            Self.moto.replacingOccurrences(of: " xmlns=", with: " a=\"1\" xmlns="),
            Self.moto.replacingOccurrences(of: "2010-03-31/", with: "&amp;"),
            Self.moto.replacingOccurrences(of: "</PublishResult>", with: "<Extra>1</Extra></PublishResult>"),
            Self.moto.replacingOccurrences(of: "</MessageId>", with: "</MessageId><MessageId>second</MessageId>"),
            Self.moto.replacingOccurrences(of: "<RequestId>", with: "<RequestId>&lt;"),
            Self.moto.replacingOccurrences(of: "<ResponseMetadata>", with: "<ResponseMetadata><Other/>"),
            Self.moto.replacingOccurrences(of: "PublishResponse", with: "PublishBatchResponse"),
            Self.moto.replacingOccurrences(of: "<MessageId>8ed628a0-d7f9-4e62-b909-47845c5d862b</MessageId>", with: ""),
            Self.moto.replacingOccurrences(of: "<MessageId>8ed628a0-d7f9-4e62-b909-47845c5d862b</MessageId>", with: "<MessageId/>"),
            "<PublishResponse><PublishResult><SequenceNumber>1</SequenceNumber><MessageId>m</MessageId></PublishResult></PublishResponse>",
            Self.moto + "<PublishResponse/>",
            Self.moto + "trailing text",
            Self.moto + "<!-- trailing comment -->",
            "\u{FEFF}" + Self.moto,
            "<?xml version=\"1.0\"?><?other?>" + Self.moto,
            "<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>",
            "", "   ", "not xml",
        ]
        for text in variants {
            XCTAssertFalse(check(text), text)
        }
    }

    func testEveryTruncation_readsAsParsed() {
        for text in [Self.aws, Self.fifo, Self.moto] {
            let bytes = Array(text.utf8)
            for end in 0..<bytes.count {
                check(Array(bytes[..<end]))
            }
        }
    }
}
