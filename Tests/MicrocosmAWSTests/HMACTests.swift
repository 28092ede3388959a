import MicrocosmAWS
import XCTest

/// HMAC-SHA256 against RFC 4231 and the SigV4 signing-key rows in ../shared/aws/vectors.md.
final class HMACTests: XCTestCase {
    private static let rfc4231: [(name: String, key: [UInt8], data: [UInt8], mac: String)] = [
        ("1", [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("2", Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ("3", [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("4", Array(0x01...0x19), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ("6", [UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ("7", [UInt8](repeating: 0xaa, count: 131),
         Array(("This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
                + "be hashed before being used by the HMAC algorithm.").utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    func testSHA256_rfc4231Cases_matchPublishedMACs() {
        for testCase in HMACTests.rfc4231 {
            XCTAssertEqual(HMAC.sha256(key: testCase.key, message: testCase.data).hex, testCase.mac,
                           "RFC 4231 test case \(testCase.name)")
        }
    }

    func testSHA256_rfc4231Case5_matchesTheTruncatedMAC() {
        let mac = HMAC.sha256(key: [UInt8](repeating: 0x0c, count: 20), message: "Test With Truncation".utf8)
        XCTAssertEqual(Hex.encode(mac.prefix(16)), "a3b6167473100ee06e0c796c2955552b")
    }

    func testSHA256_keysOfBlockSizeEdges_agreeWithStreaming() {
        // Keys of 63, 64 and 65 bytes sit either side of "hash the key first".
        var generator = SeededGenerator(seed: 4231)
        for keyLength in [0, 1, 32, 63, 64, 65, 200] {
            let key = generator.bytes(keyLength)
            let message = generator.bytes(300)
            let expected = HMAC.sha256(key: key, message: message)
            for _ in 0..<20 {
                var mac = HMAC(key: key)
                for piece in generator.pieces(of: message, maximumCuts: 6) { mac.update(piece) }
                XCTAssertEqual(mac.finalize(), expected, "key length \(keyLength)")
            }
            let fromPointers = key.withUnsafeBytes { key in
                message.withUnsafeBytes { message in
                    var mac = HMAC(key: key)
                    mac.update(bufferPointer: message)
                    return mac.finalize()
                }
            }
            XCTAssertEqual(fromPointers, expected, "key length \(keyLength) from buffer pointers")
        }
        XCTAssertEqual(HMAC.sha256(key: [UInt8](repeating: 0xaa, count: 131), message: [UInt8]()),
                       HMAC.sha256(key: SHA256.hash([UInt8](repeating: 0xaa, count: 131)), message: [UInt8]()),
                       "a long key is used as its SHA-256")
    }

    func testKeyedHMAC_isReusableForManyMessages() {
        let keyed = HMAC(key: "key".utf8)
        var first = keyed
        first.update("one".utf8)
        var second = keyed
        second.update("two".utf8)
        XCTAssertEqual(first.finalize(), HMAC.sha256(key: "key".utf8, message: "one".utf8))
        XCTAssertEqual(second.finalize(), HMAC.sha256(key: "key".utf8, message: "two".utf8))
    }

    func testKeyedHMAC_descriptionsShowNothingOfTheKey() {
        let mac = HMAC(key: "SENTINEL-KEY".utf8)
        var dumped = ""
        dump(mac, to: &dumped)
        for text in ["\(mac)", String(reflecting: mac), dumped] {
            XCTAssertFalse(text.contains("SENTINEL"), text)
        }
    }

    func testSigningKey_awsDocumentationExample_matches() {
        let signer = SigV4Signer(service: "iam", region: "us-east-1")
        XCTAssertEqual(signer.signingKey(secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20120215").hex,
                       "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    func testSigningKey_testSuiteCredentials_match() {
        let signer = SigV4Signer(service: "service", region: "us-east-1")
        XCTAssertEqual(signer.signingKey(secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20150830").hex,
                       "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75")
    }

    func testSigningKey_chainForGetVanilla_givesTheSuiteSignature() {
        let canonicalRequest = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let canonicalHash = SHA256.hash(canonicalRequest.utf8).hex
        XCTAssertEqual(canonicalHash, "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        let signingKey = SigV4Signer(service: "service", region: "us-east-1")
            .signingKey(secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20150830")
        let stringToSign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" + canonicalHash
        XCTAssertEqual(HMAC.sha256(key: signingKey, message: stringToSign.utf8).hex,
                       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }
}
