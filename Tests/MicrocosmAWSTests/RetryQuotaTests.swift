import MicrocosmAWS
import XCTest

final class RetryQuotaTests: XCTestCase {
    func testAcquire_takesWhileItCanPayThenRefuses() {
        let quota = RetryQuota(capacity: 500, available: 12)
        XCTAssertTrue(quota.acquire(5))
        XCTAssertTrue(quota.acquire(5))
        XCTAssertEqual(quota.available, 2)
        XCTAssertFalse(quota.acquire(5))
        XCTAssertEqual(quota.available, 2, "a refused acquire takes nothing")
        XCTAssertTrue(quota.acquire(2))
        XCTAssertEqual(quota.available, 0)
    }

    func testRelease_refillsUpToCapacity() {
        let quota = RetryQuota(capacity: 500, available: 495)
        quota.release(1)
        XCTAssertEqual(quota.available, 496)
        quota.release(10)
        XCTAssertEqual(quota.available, 500)
        XCTAssertEqual(quota.capacity, 500)
    }

    func testInit_startsFullAndClampsTheStartingAmount() {
        XCTAssertEqual(RetryQuota().available, 500)
        XCTAssertEqual(RetryQuota(capacity: 20, available: 99).available, 20)
        XCTAssertEqual(RetryQuota(capacity: 20, available: -4).available, 0)
    }

    func testConcurrentAcquires_neverOverspend() async {
        let quota = RetryQuota(capacity: 500)
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<300 { group.addTask { quota.acquire(5) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(granted, 100)
        XCTAssertEqual(quota.available, 0)
    }
}
