@testable import MicrocosmAWS
import XCTest

/// The one-shot paths signing uses against the streaming ones they replace, value for value, on every engine this CPU
/// runs: `SHA256.hash(bufferPointer:engine:)` (whole blocks from the buffer, tail and padding from the stack) against
/// `update` in random pieces then `finalize`, and ``HMACKeyState`` (the states after the key's pad blocks) against
/// ``HMAC``; every length around the block edges, keys shorter and longer than a block.
final class SHA256OneShotTests: XCTestCase {
    private static var engines: [SHA256.Engine] { SHA256.hardwareAvailable ? [.swift, .hardware] : [.swift] }

    func testOneShotHash_everyLengthFrom0To300_equalsTheStreamingHash() {
        var generator = SeededGenerator(seed: 14_2)
        for engine in SHA256OneShotTests.engines {
            for length in 0...300 {
                let message = generator.bytes(length)
                var streaming = SHA256(engine: engine)
                for piece in generator.pieces(of: message, maximumCuts: 3) {
                    piece.withUnsafeBytes { streaming.update(bufferPointer: $0) }
                }
                let oneShot = message.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: engine) }
                XCTAssertEqual(oneShot, streaming.finalize(), "\(engine) engine, \(length) bytes")
            }
        }
    }

    func testOneShotHash_atEveryAlignmentAndLargeInputs_equalsTheStreamingHash() {
        var generator = SeededGenerator(seed: 14_3)
        for engine in SHA256OneShotTests.engines {
            for length in [1_000, 4_095, 4_096, 65_537] {
                let message = generator.bytes(length + 3)
                for offset in 0...3 {
                    message.withUnsafeBytes { bytes in
                        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
                        var streaming = SHA256(engine: engine)
                        streaming.update(bufferPointer: slice)
                        XCTAssertEqual(SHA256.hash(bufferPointer: slice, engine: engine), streaming.finalize(),
                                       "\(engine) engine, \(length) bytes at offset \(offset)")
                    }
                }
            }
        }
    }

    func testHMACKeyState_keysAndMessagesAroundTheBlockEdges_equalHMAC() {
        var generator = SeededGenerator(seed: 14_4)
        let keyLengths = [0, 1, 31, 32, 63, 64, 65, 100, 128, 131]
        let messageLengths = Array(0...4) + Array(51...70) + Array(115...135) + [134, 200, 1_000]
        for engine in SHA256OneShotTests.engines {
            for keyLength in keyLengths {
                let key = generator.bytes(keyLength)
                let state = key.withUnsafeBytes { HMACKeyState(key: $0, engine: engine) }
                for messageLength in messageLengths {
                    let message = generator.bytes(messageLength)
                    var mac = key.withUnsafeBytes { HMAC(key: $0, engine: engine) }
                    mac.update(message)
                    XCTAssertEqual(message.withUnsafeBytes { state.mac(bufferPointer: $0) }, mac.finalize(),
                                   "\(engine) engine, \(keyLength)-byte key, \(messageLength)-byte message")
                }
            }
        }
    }

    func testHMACKeyState_rfc4231Case2_matchesThePublishedMAC() {
        for engine in SHA256OneShotTests.engines {
            let state = Array("Jefe".utf8).withUnsafeBytes { HMACKeyState(key: $0, engine: engine) }
            let mac = Array("what do ya want for nothing?".utf8).withUnsafeBytes { state.mac(bufferPointer: $0) }
            XCTAssertEqual(mac.hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "\(engine) engine")
        }
    }

    func testHMACKeyState_descriptionsShowNoKeyState() {
        let state = Array("sentinel-key".utf8).withUnsafeBytes { HMACKeyState(key: $0, engine: .swift) }
        XCTAssertEqual("\(state)", "HMAC-SHA256(<keyed>)")
        var dumped = ""
        dump(state, to: &dumped)
        XCTAssertFalse(dumped.contains("h0"), dumped)
    }
}
