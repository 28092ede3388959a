import MicrocosmAWS
import XCTest

/// `MD5OfMessageAttributes` against every vector in ../shared/aws/vectors.md, plus digests moto computed.
final class SQSMessageDigestTests: XCTestCase {
    private let string: [String: MessageAttributeValue] = ["attribName1": .string("attribValue 1")]
    private let number: [String: MessageAttributeValue] = [
        "customNumberTypeAttrib": MessageAttributeValue(dataType: "Number.float", stringValue: "4563442423554324324264524243.32543234"),
    ]
    private let binary: [String: MessageAttributeValue] = ["binaryAttribute": .binary(Array("Hello binary world!".utf8))]

    func testMD5OfMessageAttributes_stringVector() {
        XCTAssertEqual(SQSMessageDigest.md5OfMessageAttributes(string), "19e27d4e946b072f3f58da80d94fd778")
    }

    func testMD5OfMessageAttributes_customNumberTypeVector() {
        XCTAssertEqual(SQSMessageDigest.md5OfMessageAttributes(number), "9fe1b90bbd9965bdf77bac517c7d2495")
    }

    func testMD5OfMessageAttributes_binaryVector_hashesTheRawBytes() {
        XCTAssertEqual(SQSMessageDigest.md5OfMessageAttributes(binary), "31a92b15d92f8db860eda32aceb656c3")
    }

    func testMD5OfMessageAttributes_allThreeTogether_sortsByName() {
        let all = string.merging(number) { $1 }.merging(binary) { $1 }
        XCTAssertEqual(SQSMessageDigest.md5OfMessageAttributes(all), "c932db14a896c663f83c260297d594ff")
    }

    func testMD5OfMessageAttributes_matchesWhatMotoReportedForBinaryAndString() {
        // moto 5.2.1 answered SendMessage with these attributes with MD5OfMessageAttributes 88e85202….
        let attributes: [String: MessageAttributeValue] = ["b": .binary(Array("Hello binary world!".utf8)), "s": .string("v")]
        XCTAssertEqual(SQSMessageDigest.md5OfMessageAttributes(attributes), "88e85202274170abb5eef8b3c5a3551d")
    }

    func testMD5OfMessageAttributes_customBinaryType_usesTheBinaryTransportByte() {
        let custom = ["binaryAttribute": MessageAttributeValue(dataType: "Binary.gif", binaryValue: Array("Hello binary world!".utf8))]
        let asString = ["binaryAttribute": MessageAttributeValue(dataType: "Binary.gif", stringValue: "Hello binary world!")]
        XCTAssertNotEqual(SQSMessageDigest.md5OfMessageAttributes(custom), SQSMessageDigest.md5OfMessageAttributes(asString),
                          "a Binary.* value must be hashed as binary, not as its string value")
        XCTAssertNotEqual(SQSMessageDigest.md5OfMessageAttributes(custom), "31a92b15d92f8db860eda32aceb656c3",
                          "the data type is part of the digest")
    }

    func testMD5OfMessageAttributes_none_isTheDigestOfNoBytes() {
        XCTAssertEqual(SQSMessageDigest.md5OfMessageAttributes([:]), "d41d8cd98f00b204e9800998ecf8427e")
    }

    func testMD5OfBody_isTheMD5OfTheUTF8Body() {
        XCTAssertEqual(SQSMessageDigest.md5OfBody("test"), "098f6bcd4621d373cade4e832627b4f6")
        XCTAssertEqual(SQSMessageDigest.md5OfBody("hi"), "49f68a5c8493ec2c0bf489821c21fc3b")
        XCTAssertEqual(SQSMessageDigest.md5OfBody("é"), MD5.hash([0xc3, 0xa9]).hex)
    }

    // MARK: SQSMessage.verifyChecksums

    private func received(body: String = "test", md5OfBody: String? = "098f6bcd4621d373cade4e832627b4f6",
                          attributes: [String: MessageAttributeValue] = ["attribName1": .string("attribValue 1")],
                          md5OfAttributes: String? = "19e27d4e946b072f3f58da80d94fd778") -> SQSMessage {
        SQSMessage(messageId: "m-1", receiptHandle: "rh", body: body, md5OfBody: md5OfBody, messageAttributes: attributes,
                   md5OfMessageAttributes: md5OfAttributes)
    }

    func testVerifyChecksums_matchingDigests_passes() throws {
        try received().verifyChecksums()
        try received(md5OfBody: "098F6BCD4621D373CADE4E832627B4F6").verifyChecksums()
    }

    func testVerifyChecksums_bodyDigestDiffers_throwsNamingMessageAndDigests() {
        XCTAssertThrowsError(try received(body: "tampered").verifyChecksums(queueURL: "http://q/1/things")) { error in
            XCTAssertEqual("\(error)", "SQS ReceiveMessage from QueueUrl 'http://q/1/things': MD5OfBody of message m-1 is "
                + "'098f6bcd4621d373cade4e832627b4f6', expected '\(SQSMessageDigest.md5OfBody("tampered"))'")
        }
    }

    func testVerifyChecksums_attributesDigestDiffers_throws() {
        XCTAssertThrowsError(try received(attributes: ["attribName1": .string("other")]).verifyChecksums()) { error in
            XCTAssertEqual((error as? SQSChecksumError)?.field, "MD5OfMessageAttributes")
            XCTAssertEqual((error as? SQSChecksumError)?.reported, "19e27d4e946b072f3f58da80d94fd778")
        }
    }

    func testVerifyChecksums_withoutDigests_hasNothingToCheck() throws {
        try received(body: "anything", md5OfBody: nil, md5OfAttributes: nil).verifyChecksums()
        try received(attributes: [:], md5OfAttributes: "ffffffffffffffffffffffffffffffff").verifyChecksums()
    }
}
