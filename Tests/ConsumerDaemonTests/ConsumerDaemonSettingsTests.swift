import Foundation
import Microcosm
import MicrocosmJSON
@testable import MicrocosmPubSub
import XCTest

/// The daemon's error backoff: the first pause, doubled for each failure in a row, capped, and
/// at random in the upper half of that so a fleet of daemons does not retry in step.
final class ConsumerDaemonSettingsTests: XCTestCase {
    private let settings = ConsumerDaemonSettings(errorBackoff: .seconds(1), maxErrorBackoff: .seconds(30))

    func testBackoff_doublesForEachFailureInARow_upToTheMaximum() {
        let most = (1...8).map { settings.backoff(afterFailures: $0) { $0.upperBound } }
        XCTAssertEqual(most, [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30), .seconds(30)])
        XCTAssertEqual(settings.backoff(afterFailures: 10_000) { $0.upperBound }, .seconds(30), "no overflow after many failures")
        XCTAssertEqual(settings.backoff(afterFailures: 0) { $0.upperBound }, .seconds(1), "zero failures: the first pause")
    }

    func testBackoff_drawsFromTheUpperHalfOfTheCappedPause() {
        let ranges = Recorder<ClosedRange<Double>>()
        for failures in [1, 3, 6] {
            _ = settings.backoff(afterFailures: failures) { range in
                ranges.append(range)
                return range.lowerBound
            }
        }
        XCTAssertEqual(ranges.all, [0.5...1, 2...4, 15...30])
        XCTAssertEqual(settings.backoff(afterFailures: 3) { $0.lowerBound }, .seconds(2))
        XCTAssertEqual(settings.backoff(afterFailures: 3) { _ in 2.5 }, .milliseconds(2500))
    }

    func testBackoff_withTheDefaultRandomness_staysWithinTheUpperHalf_andVaries() {
        for failures in 1...7 {
            let capped = min(pow(2, Double(failures - 1)), 30)
            let pauses = (0..<200).map { _ in settings.backoff(afterFailures: failures).timeInterval }
            XCTAssertEqual(pauses.filter { !(capped / 2...capped).contains($0) }, [],
                           "after \(failures) failure(s): pauses outside \(capped / 2)...\(capped) s")
            XCTAssertGreaterThan(Set(pauses).count, 1, "after \(failures) failure(s): jittered")
        }
    }

    func testInit_config_readsTheBackoffAndIdleSleep_andRaisesAMaximumBelowTheFirstPauseToIt() throws {
        let config = Configuration(["consumer_daemon": ["error_backoff_seconds": 4, "max_error_backoff_seconds": 2],
                                    "sleep_policy": ["default_sleep_timeout": 0.25]])
        let settings = try ConsumerDaemonSettings(config: config)
        XCTAssertEqual(settings.errorBackoff, .seconds(4))
        XCTAssertEqual(settings.maxErrorBackoff, .seconds(4))
        XCTAssertEqual(settings.idleSleep, .milliseconds(250))
        XCTAssertEqual(try ConsumerDaemonSettings(config: Configuration()).idleSleep, .milliseconds(500), "Python's default")
    }

    func testInit_config_whenNumbersAreNotFiniteOrOutOfRange_throwsNamingTheKey() {
        let cases: [(JSONObject, String)] = [
            (["consumer_daemon": ["grace_period_seconds": .double(.nan)]],
             "config 'consumer_daemon.grace_period_seconds': expected seconds from 0 to 86400, got double NaN"),
            (["consumer_daemon": ["heartbeat_seconds": .double(.infinity)]],
             "config 'consumer_daemon.heartbeat_seconds': expected seconds from 0 to 86400, got double Infinity"),
            (["consumer_daemon": ["error_backoff_seconds": 1e300]],
             "config 'consumer_daemon.error_backoff_seconds': expected seconds from 0 to 86400, got double 1e+300"),
            (["consumer_daemon": ["max_error_backoff_seconds": -1]],
             "config 'consumer_daemon.max_error_backoff_seconds': expected seconds from 0 to 86400, got int -1"),
            (["consumer_daemon": ["concurrency": 0]], "config 'consumer_daemon.concurrency': expected a whole number of at least 1, got int 0"),
            (["sleep_policy": ["default_sleep_timeout": "nan"]],
             #"config 'sleep_policy.default_sleep_timeout': expected seconds from 0 to 86400, got string "nan""#),
        ]
        for (values, line) in cases {
            XCTAssertThrowsError(try ConsumerDaemonSettings(config: Configuration(values)), line) { XCTAssertEqual("\($0)", line) }
        }
    }

    func testGraph_whenTheEnvironmentSetsABadNumber_failsAtCreationNamingTheVariable() {
        XCTAssertThrowsError(try Graph(name: "things", registry: .pubsub,
                                       loader: .environment(["THINGS__SLEEP_POLICY__DEFAULT_SLEEP_TIMEOUT": "inf"]))) { error in
            XCTAssertEqual("\(error)", "config 'sleep_policy.default_sleep_timeout' (from THINGS__SLEEP_POLICY__DEFAULT_SLEEP_TIMEOUT): "
                               + #"expected seconds from 0 to 86400, got string "inf""#)
        }
    }
}
