import Foundation
import MicrocosmJSON
import XCTest

final class JSONValueDecoderErrorCodeTests: XCTestCase {
    private struct Order: Decodable {
        var uri: String
        var count: Int
        var placedAt: Date
    }

    /// What a caller's `switch error.code` picks for decoding `value` as an order.
    private func switchedCode(_ value: JSONValue) -> String {
        do {
            _ = try JSONValueDecoder().decode(Order.self, from: value)
            return "no error"
        } catch let error as JSONValueDecoderError {
            switch error.code {
            case .missing: return "missing \(error.path)"
            case .typeMismatch: return "typeMismatch \(error.path)"
            case .null: return "null \(error.path)"
            case .invalidValue: return "invalidValue \(error.path)"
            default: return "another code: \(error.code)"
            }
        } catch {
            return "not a JSONValueDecoderError: \(error)"
        }
    }

    func testCode_ofEachDecodingFailure_isTheOneACallerSwitchesOn() {
        XCTAssertEqual(switchedCode(["count": 1, "placedAt": "2026-11-29T13:59:25Z"]), "missing uri")
        XCTAssertEqual(switchedCode(["uri": "u", "count": "one", "placedAt": "2026-11-29T13:59:25Z"]), "typeMismatch count")
        XCTAssertEqual(switchedCode(["uri": .null, "count": 1, "placedAt": "2026-11-29T13:59:25Z"]), "null uri")
        XCTAssertEqual(switchedCode(["uri": "u", "count": 1, "placedAt": "yesterday"]), "invalidValue placedAt")
        XCTAssertEqual(switchedCode(["uri": "u", "count": 1, "placedAt": "2026-11-29T13:59:25Z"]), "no error")
    }

    func testCode_printsAsItsName() {
        XCTAssertEqual(["\(JSONValueDecoderError.Code.missing)", "\(JSONValueDecoderError.Code.null)"], ["missing", "null"])
    }
}
