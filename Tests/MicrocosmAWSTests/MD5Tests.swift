import MicrocosmAWS
import XCTest

/// MD5 against the RFC 1321 suite in ../shared/aws/vectors.md.
final class MD5Tests: XCTestCase {
    func testHash_rfc1321Suite_matchesDigests() {
        let cases: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
            ("test", "098f6bcd4621d373cade4e832627b4f6"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(MD5.hash(input.utf8).hex, expected, "MD5 of \"\(input)\"")
        }
    }

    func testHash_paddingBoundaries_agreeWithStreaming() {
        // 55/56/63/64/65 bytes end the message either side of the length field and the block edge.
        for count in [55, 56, 63, 64, 65, 119, 120, 128] {
            let message = [UInt8](repeating: 0x61, count: count)
            var hash = MD5()
            hash.update(message[..<(count / 2)])
            hash.update(message[(count / 2)...])
            XCTAssertEqual(hash.finalize(), MD5.hash(message), "\(count) x 'a'")
            XCTAssertEqual(MD5.hash(message).count, 16)
        }
        // Computed with Python hashlib: pins where the padding puts the little-endian length field.
        let digests: [(Int, String)] = [
            (55, "ef1772b6dff9a122358552954ad0df65"),
            (56, "3b0c8ac703f828b04c6c197006d17218"),
            (63, "b06521f39153d618550606be297466d5"),
            (64, "014842d480b571495a4a0363793f7367"),
            (119, "8a7bd0732ed6a28ce75f6dabc90e1613"),
            (120, "5f61c0ccad4cac44c75ff505e1f1e537"),
        ]
        for (count, expected) in digests {
            XCTAssertEqual(MD5.hash(String(repeating: "a", count: count).utf8).hex, expected, "\(count) x 'a'")
        }
    }

    func testUpdate_atRandomSplitPoints_equalsOneShot() {
        var generator = SeededGenerator(seed: 5)
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 4099] {
            let message = generator.bytes(length)
            let expected = MD5.hash(message)
            for _ in 0..<40 {
                let pieces = generator.pieces(of: message, maximumCuts: 8)
                var hash = MD5()
                for piece in pieces { hash.update(piece) }
                XCTAssertEqual(hash.finalize(), expected, "length \(length) cut into \(pieces.map(\.count))")
            }
            XCTAssertEqual(message.withUnsafeBytes { MD5.hash(bufferPointer: $0) }, expected)
        }
    }
}
