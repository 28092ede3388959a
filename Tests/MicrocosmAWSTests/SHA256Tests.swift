import MicrocosmAWS
import XCTest

/// SHA-256 against FIPS 180-4 / RFC 6234 values and the padding edges in ../shared/aws/vectors.md.
final class SHA256Tests: XCTestCase {
    func testHash_fipsExamples_matchPublishedDigests() {
        let cases: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(SHA256.hash(input.utf8).hex, expected, "SHA-256 of \"\(input)\"")
        }
    }

    func testHash_oneMillionA_matchesPublishedDigest() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        XCTAssertEqual(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)).hex, expected)
        // The same million bytes fed in odd-sized chunks, and from a sequence with no contiguous storage.
        var hash = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 999)
        for _ in 0..<1001 { hash.update(chunk) }
        hash.update(chunk[..<1])
        XCTAssertEqual(hash.finalize().hex, expected)
        XCTAssertEqual(SHA256.hash(repeatElement(UInt8(0x61), count: 1_000_000)).hex, expected)
    }

    func testHash_paddingBoundaries_matchDigests() {
        let cases: [(Int, String)] = [
            (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        ]
        for (count, expected) in cases {
            XCTAssertEqual(SHA256.hash(String(repeating: "a", count: count).utf8).hex, expected, "\(count) x 'a'")
        }
    }

    func testUpdate_atRandomSplitPoints_equalsOneShot() {
        var generator = SeededGenerator(seed: 256)
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 10_007] {
            let message = generator.bytes(length)
            let expected = SHA256.hash(message)
            for _ in 0..<40 {
                let pieces = generator.pieces(of: message, maximumCuts: 8)
                var hash = SHA256()
                for piece in pieces { hash.update(piece) }
                XCTAssertEqual(hash.finalize(), expected, "length \(length) cut into \(pieces.map(\.count))")
            }
            var byteByByte = SHA256()
            for byte in message { byteByByte.update(CollectionOfOne(byte)) }
            XCTAssertEqual(byteByByte.finalize(), expected, "length \(length) byte by byte")
        }
    }

    func testUpdate_bufferPointerAndSequence_agree() {
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        let expected = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        XCTAssertEqual(message.withUnsafeBytes { SHA256.hash(bufferPointer: $0) }.hex, expected)
        XCTAssertEqual(SHA256.hash(message).hex, expected)
        XCTAssertEqual(SHA256.hash("The quick brown fox jumps over the lazy dog".utf8).hex, expected)
    }

    func testFinalize_leavesTheHashUsableForMoreInput() {
        var hash = SHA256()
        hash.update("ab".utf8)
        XCTAssertEqual(hash.finalize(), SHA256.hash("ab".utf8))
        hash.update("c".utf8)
        XCTAssertEqual(hash.finalize().hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testDigest_isACollectionOfItsBytes() {
        let digest = SHA256.hash("abc".utf8)
        XCTAssertEqual(digest.count, 32)
        XCTAssertEqual(Array(digest.prefix(4)), [0xba, 0x78, 0x16, 0xbf])
        XCTAssertEqual(digest.last, 0xad)
        XCTAssertEqual(Hex.encode(digest), digest.hex)
        XCTAssertEqual("\(digest)", digest.hex)
        XCTAssertEqual(Set([digest, SHA256.hash("abc".utf8), SHA256.hash("abd".utf8)]).count, 2)
        XCTAssertNotEqual(SHA256.hash("abc".utf8), SHA256.hash("abd".utf8))
    }

    func testHex_encodesLowerCaseAndDecodesEitherCase() {
        XCTAssertEqual(Hex.encode([0x00, 0x0f, 0xa0, 0xff]), "000fa0ff")
        XCTAssertEqual(Hex.encode([UInt8]()), "")
        XCTAssertEqual(Hex.decode("000FA0ff"), [0x00, 0x0f, 0xa0, 0xff])
        XCTAssertEqual(Hex.decode(""), [])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }
}
