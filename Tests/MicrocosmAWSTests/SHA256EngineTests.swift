import MicrocosmAWS
import XCTest

/// The two SHA-256 engines (the CPU's SHA-256 instructions through CSHA256, and the Swift code) against the
/// published vectors and against each other: every length around the block edges, large inputs, streaming, HMAC.
final class SHA256EngineTests: XCTestCase {
    /// The engines this CPU can run (the Swift one always).
    private static var engines: [SHA256.Engine] { SHA256.hardwareAvailable ? [.swift, .hardware] : [.swift] }

    private func requireHardware() throws {
        guard SHA256.hardwareAvailable else {
            let reason = "this CPU has no SHA-256 instructions (x86-64 SHA extensions or Armv8 SHA-2); only the Swift engine runs"
            print("note: \(reason)")
            throw XCTSkip(reason)
        }
    }

    func testPreferredEngine_isTheHardwareOneExactlyWhenTheCPUHasIt() {
        XCTAssertEqual(SHA256.preferredEngine, SHA256.hardwareAvailable ? .hardware : .swift)
        #if arch(x86_64) && os(Linux)
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if let line = flags.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) {
            XCTAssertEqual(SHA256.hardwareAvailable, line.split(separator: " ").contains("sha_ni"),
                           "cpuid and /proc/cpuinfo's sha_ni flag agree")
        }
        #endif
    }

    func testEachEngine_fipsAndPaddingVectors_matchPublishedDigests() {
        let cases: [([UInt8], String)] = [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ([UInt8](repeating: 0x61, count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            ([UInt8](repeating: 0x61, count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            ([UInt8](repeating: 0x61, count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            ([UInt8](repeating: 0x61, count: 65), "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            ([UInt8](repeating: 0x61, count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for engine in SHA256EngineTests.engines {
            for (input, expected) in cases {
                let digest = input.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: engine) }
                XCTAssertEqual(digest.hex, expected, "\(engine) engine, \(input.count) bytes")
            }
        }
    }

    func testHardware_everyLengthFrom0To200_equalsSwift() throws {
        try requireHardware()
        var generator = SeededGenerator(seed: 180_4)
        for length in 0...200 {
            for _ in 0..<4 {
                let message = generator.bytes(length)
                let swift = message.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: .swift) }
                let hardware = message.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: .hardware) }
                XCTAssertEqual(hardware, swift, "\(length) random bytes")
            }
        }
    }

    func testHardware_largeAndUnalignedInputs_equalSwift() throws {
        try requireHardware()
        var generator = SeededGenerator(seed: 65_537)
        let large = generator.bytes(1_048_583)
        for length in [1000, 4096, 10_007, 65_536, 65_537, 1_048_576, 1_048_583] {
            // Offsets 0...3 put the blocks at every alignment the hardware path loads from.
            for offset in 0..<4 {
                large.withUnsafeBytes { all in
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length - 4)])
                    XCTAssertEqual(SHA256.hash(bufferPointer: slice, engine: .hardware),
                                   SHA256.hash(bufferPointer: slice, engine: .swift),
                                   "\(length - 4) bytes at offset \(offset)")
                }
            }
        }
    }

    func testHardware_streamedAtRandomSplitPoints_equalsSwiftOneShot() throws {
        try requireHardware()
        var generator = SeededGenerator(seed: 2_5_6)
        for length in [0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 1000, 5000] {
            let message = generator.bytes(length)
            let expected = message.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: .swift) }
            for _ in 0..<20 {
                let pieces = generator.pieces(of: message, maximumCuts: 10)
                var hash = SHA256(engine: .hardware)
                for piece in pieces { hash.update(piece) }
                XCTAssertEqual(hash.finalize(), expected, "length \(length) cut into \(pieces.map(\.count))")
            }
        }
    }

    func testEachEngine_hmacRFC4231Case2_matchesPublishedMAC() {
        for engine in SHA256EngineTests.engines {
            let mac = Array("Jefe".utf8).withUnsafeBytes { key in
                var mac = HMAC(key: key, engine: engine)
                mac.update("what do ya want for nothing?".utf8)
                return mac.finalize()
            }
            XCTAssertEqual(mac.hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "\(engine) engine")
        }
    }

    func testHardwareHMAC_keysAndMessagesAroundTheBlockEdges_equalSwift() throws {
        try requireHardware()
        var generator = SeededGenerator(seed: 4231)
        // Keys either side of "hash the key first" (64 bytes); messages either side of the inner hash's block edges.
        for keyLength in [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 200] {
            let key = generator.bytes(keyLength)
            for messageLength in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 200, 1000] {
                let message = generator.bytes(messageLength)
                let macs = [SHA256.Engine.swift, .hardware].map { engine in
                    key.withUnsafeBytes { key in
                        var mac = HMAC(key: key, engine: engine)
                        mac.update(message)
                        return mac.finalize()
                    }
                }
                XCTAssertEqual(macs[1], macs[0], "key \(keyLength) bytes, message \(messageLength) bytes")
            }
        }
    }
}
