import Microcosm
import MicrocosmPubSub
import Synchronization
import XCTest

final class BackoffPolicyTests: XCTestCase {
    /// A random source that records the ranges asked for and answers with `pick`.
    private final class RecordingRandom: Sendable {
        private let ranges = Mutex<[ClosedRange<Int>]>([])
        private let pick: @Sendable (ClosedRange<Int>) -> Int

        init(pick: @escaping @Sendable (ClosedRange<Int>) -> Int) { self.pick = pick }

        var asked: [ClosedRange<Int>] { ranges.withLock { $0 } }

        var random: BackoffPolicy.Random {
            { range in
                self.ranges.withLock { $0.append(range) }
                return self.pick(range)
            }
        }
    }

    // MARK: Naive

    func testNaive_withoutARequestedTimeout_usesTheRetryTimeout() {
        let policy = BackoffPolicy.naive(retryTimeout: 5)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 1, requested: nil), 5)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 9, requested: nil), 5, "the receive count does not matter")
    }

    func testNaive_requestedTimeout_wins_evenZero() {
        let policy = BackoffPolicy.naive(retryTimeout: 5)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 1, requested: 30), 30)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 1, requested: 0), 0, "0 hands the message back at once")
    }

    func testNaive_withoutAnyTimeout_leavesTheVisibilityAlone() {
        XCTAssertNil(BackoffPolicy.naive(retryTimeout: nil).visibilityTimeout(receiveCount: 2, requested: nil))
    }

    // MARK: Exponential

    func testExponential_drawsBetweenOneAndTwoToTheReceiveCountMinusOne() {
        let recorder = RecordingRandom { $0.upperBound }
        let policy = BackoffPolicy.exponential(random: recorder.random)
        XCTAssertEqual((1...5).map { policy.visibilityTimeout(receiveCount: $0, requested: nil) }, [1, 3, 7, 15, 31])
        XCTAssertEqual(recorder.asked, [1...1, 1...3, 1...7, 1...15, 1...31])
    }

    func testExponential_isCappedAtTwelveHours() {
        let policy = BackoffPolicy.exponential(random: { $0.upperBound })
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 16, requested: nil), 43_200)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 10_000, requested: nil), 43_200, "no overflow for huge counts")
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 16, requested: nil), BackoffPolicy.maximumTimeout)
    }

    func testExponential_requestedTimeout_winsWithoutDrawing() {
        let recorder = RecordingRandom { $0.upperBound }
        let policy = BackoffPolicy.exponential(random: recorder.random)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 4, requested: 12), 12)
        XCTAssertEqual(recorder.asked, [])
    }

    func testExponential_withTheSystemRandom_staysInItsRange() {
        let policy = BackoffPolicy.exponential()
        for _ in 0..<500 {
            let timeout = policy.visibilityTimeout(receiveCount: 3, requested: nil)!
            XCTAssertTrue((1...7).contains(timeout), "\(timeout)")
        }
    }

    func testExponential_unknownReceiveCount_isTreatedAsTheFirstReceive() {
        let policy = BackoffPolicy.exponential(random: { $0.upperBound })
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 0, requested: nil), 1)
    }

    // MARK: Exponential with base and jitter

    func testBaseJitter_waitsTheCountPlusUpToHalfARandomScale() {
        let recorder = RecordingRandom { $0.upperBound }
        let policy = BackoffPolicy.exponentialBaseJitter(random: recorder.random)
        // count 3: scale from 3...8 (8), then 3 + 0...4 (4)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 3, requested: nil), 7)
        XCTAssertEqual(recorder.asked, [3...8, 0...4])
    }

    func testBaseJitter_lowestDraws_giveTheCount() {
        let policy = BackoffPolicy.exponentialBaseJitter(random: { $0.lowerBound })
        XCTAssertEqual((1...5).map { policy.visibilityTimeout(receiveCount: $0, requested: nil) }, [1, 2, 3, 4, 5])
    }

    func testBaseJitter_highestDraws_matchThePythonTable() {
        // microcosm-pubsub: 1-2 s for the first retry, 2-4, 3-7, 4-12, 5-21 after.
        let policy = BackoffPolicy.exponentialBaseJitter(random: { $0.upperBound })
        XCTAssertEqual((1...5).map { policy.visibilityTimeout(receiveCount: $0, requested: nil) }, [2, 4, 7, 12, 21])
    }

    func testBaseJitter_isCappedAtTwelveHours() {
        let policy = BackoffPolicy.exponentialBaseJitter(random: { $0.upperBound })
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 30, requested: nil), 43_200)
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 5_000, requested: nil), 43_200)
    }

    func testBaseJitter_requestedTimeout_wins() {
        XCTAssertEqual(BackoffPolicy.exponentialBaseJitter().visibilityTimeout(receiveCount: 3, requested: 0), 0)
    }

    // MARK: Names

    func testNamed_acceptsThePythonClassNames() throws {
        for name in ["NaiveBackoffPolicy", "ExponentialBackoffPolicy", "ExponentialBackoffBaseJitterPolicy"] {
            XCTAssertEqual(try BackoffPolicy.named(name).name, name)
        }
        XCTAssertEqual(BackoffPolicy.names, ["NaiveBackoffPolicy", "ExponentialBackoffPolicy", "ExponentialBackoffBaseJitterPolicy"])
    }

    func testNamed_naive_usesTheRetryTimeoutGiven() throws {
        XCTAssertEqual(try BackoffPolicy.named("NaiveBackoffPolicy", retryTimeout: 9).visibilityTimeout(receiveCount: 1, requested: nil), 9)
    }

    func testNamed_injectsTheRandomSource() throws {
        let policy = try BackoffPolicy.named("ExponentialBackoffPolicy", random: { $0.lowerBound })
        XCTAssertEqual(policy.visibilityTimeout(receiveCount: 6, requested: nil), 1)
    }

    func testNamed_unknownName_failsNamingTheConfigKeyAndTheAcceptedNames() {
        XCTAssertThrowsError(try BackoffPolicy.named("LinearBackoffPolicy")) { error in
            let error = error as? SQSConsumerError
            XCTAssertEqual(error?.code, .unknownBackoffPolicy)
            XCTAssertEqual(error?.key, "sqs_consumer.backoff_policy")
            XCTAssertEqual(error?.description, "config 'sqs_consumer.backoff_policy': unknown backoff policy 'LinearBackoffPolicy'; "
                               + "accepted: NaiveBackoffPolicy, ExponentialBackoffPolicy, ExponentialBackoffBaseJitterPolicy")
        }
    }
}
