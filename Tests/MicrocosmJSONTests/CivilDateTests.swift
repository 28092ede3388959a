import Foundation
import MicrocosmJSON
import XCTest

final class CivilDateTests: XCTestCase {
    func testCivilAndDays_agreeWithFoundationsGregorianCalendarAndEachOther() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Every 7th day from 1600 to 2400 (leap centuries, negative day numbers, 1970 itself).
        for days in stride(from: Int64(-135_140), through: 157_000, by: 7) {
            let (year, month, day) = CivilDate.civil(fromDays: days)
            let components = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            XCTAssertEqual([year, month, day], [components.year, components.month, components.day].map { Int64($0!) }, "day \(days)")
            XCTAssertEqual(CivilDate.days(fromYear: year, month: month, day: day), days)
        }
        XCTAssertTrue(CivilDate.civil(fromDays: 0) == (1970, 1, 1))
        XCTAssertTrue(CivilDate.civil(fromDays: 11_016) == (2000, 2, 29))
    }

    func testFloorDivide_roundsTowardsNegativeInfinity() {
        XCTAssertEqual(CivilDate.floorDivide(7, 2), 3)
        XCTAssertEqual(CivilDate.floorDivide(-7, 2), -4)
        XCTAssertEqual(CivilDate.floorDivide(-8, 2), -4)
    }
}
