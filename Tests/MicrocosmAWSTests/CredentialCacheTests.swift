import Foundation
import Microcosm
import MicrocosmAWS
import Synchronization
import XCTest

/// A clock the test moves by hand.
private final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 2_000_000_000))

    var now: Date { current.withLock { $0 } }

    func advance(minutes: Double) { current.withLock { $0 = $0.addingTimeInterval(minutes * 60) } }

    func date(inMinutes minutes: Double) -> Date { now.addingTimeInterval(minutes * 60) }
}

/// Hands out numbered credentials (or the scripted failure), optionally pausing first, counting calls.
private final class CountingProvider: CredentialProvider {
    let name = "counting"
    private let state = Mutex<(calls: Int, failure: CredentialError?, lifetimeMinutes: Double?)>((0, nil, nil))
    private let clock: ManualClock
    private let pause: Duration

    init(clock: ManualClock, lifetimeMinutes: Double?, pause: Duration = .zero) {
        self.clock = clock
        self.pause = pause
        state.withLock { $0.lifetimeMinutes = lifetimeMinutes }
    }

    var calls: Int { state.withLock { $0.calls } }

    func fail(with error: CredentialError?) { state.withLock { $0.failure = error } }

    func credentials() async throws -> AWSCredentials {
        if pause > .zero { try await Task.sleep(for: pause) }
        let (number, failure, lifetime) = state.withLock { state in
            state.calls += 1
            return (state.calls, state.failure, state.lifetimeMinutes)
        }
        if let failure { throw failure }
        return AWSCredentials(accessKeyId: "AKIA\(number)", secretAccessKey: Sentinel.secretKey, sessionToken: Sentinel.sessionToken,
                              expiration: lifetime.map { clock.date(inMinutes: $0) }, source: "counting")
    }
}

/// Hands out the given credentials in turn (the last one again and again).
private final class ScriptedProvider: CredentialProvider {
    let name = "scripted"
    private let state: Mutex<(credentials: [AWSCredentials], calls: Int)>

    init(_ credentials: [AWSCredentials]) { state = Mutex((credentials, 0)) }

    var calls: Int { state.withLock { $0.calls } }

    func credentials() async throws -> AWSCredentials {
        state.withLock { state in
            state.calls += 1
            return state.credentials[min(state.calls, state.credentials.count) - 1]
        }
    }
}

final class CredentialCacheTests: XCTestCase {
    private let clock = ManualClock()

    private func cache(_ base: CountingProvider, logger: Logger? = nil) -> CachingCredentialProvider {
        let clock = self.clock
        return CachingCredentialProvider(base, logger: logger, now: { clock.now })
    }

    func testCredentials_hundredConcurrentCallersShareOneCallToTheProvider() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: 60, pause: .milliseconds(50))
        let provider = cache(base)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<100 { group.addTask { try await provider.credentials().accessKeyId } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        XCTAssertEqual(keys.count, 100)
        XCTAssertEqual(Set(keys), ["AKIA1"])
        XCTAssertEqual(base.calls, 1)
    }

    func testCredentials_withoutExpiration_areFetchedOnce() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: nil)
        let provider = cache(base)
        _ = try await provider.credentials()
        clock.advance(minutes: 60 * 24 * 365)
        let later = try await provider.credentials()
        XCTAssertEqual(later.accessKeyId, "AKIA1")
        XCTAssertEqual(base.calls, 1)
    }

    func testCredentials_areRefreshedFiveMinutesBeforeTheyExpire() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: 60)
        let provider = cache(base)
        _ = try await provider.credentials()
        clock.advance(minutes: 54.9)
        let stillCached = try await provider.credentials()
        XCTAssertEqual(stillCached.accessKeyId, "AKIA1")
        clock.advance(minutes: 0.2)
        let refreshed = try await provider.credentials()
        XCTAssertEqual(refreshed.accessKeyId, "AKIA2")
        XCTAssertEqual(base.calls, 2)
    }

    func testCredentials_thatArriveInsideTheMargin_areRefreshedAfterHalfTheirLife() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: 4)
        let provider = cache(base)
        _ = try await provider.credentials()
        clock.advance(minutes: 1.9)
        let cached = try await provider.credentials()
        XCTAssertEqual(cached.accessKeyId, "AKIA1")
        clock.advance(minutes: 0.2)
        let refreshed = try await provider.credentials()
        XCTAssertEqual(refreshed.accessKeyId, "AKIA2")
    }

    func testCredentials_whenARefreshFailsWhileTheOldOnesAreValid_keepsThemAndLogsWithoutSecrets() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: 60)
        let handler = InMemoryLogHandler()
        let provider = cache(base, logger: Logger(label: "test", handler: handler))
        _ = try await provider.credentials()
        base.fail(with: CredentialError(provider: "counting", reason: "STS is down"))
        clock.advance(minutes: 56)
        let kept = try await provider.credentials()
        XCTAssertEqual(kept.accessKeyId, "AKIA1")
        XCTAssertEqual(base.calls, 2)
        XCTAssertEqual(handler.records.count, 1)
        XCTAssertEqual(handler.records.first?.level, .warning)
        XCTAssertTrue(handler.records.first?.metadata["aws.error"]?.contains("STS is down") == true)
        Sentinel.assertAbsent(handler.records.map { "\($0.message) \($0.metadata)" }.joined())

        let again = try await provider.credentials()
        XCTAssertEqual(again.accessKeyId, "AKIA1")
        XCTAssertEqual(base.calls, 2, "the next attempt waits for half the remaining life")

        clock.advance(minutes: 2.1)
        base.fail(with: nil)
        let refreshed = try await provider.credentials()
        XCTAssertEqual(refreshed.accessKeyId, "AKIA3")
    }

    func testCredentials_whenARefreshFailsAfterTheOldOnesExpired_throws() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: 60)
        let provider = cache(base)
        _ = try await provider.credentials()
        base.fail(with: CredentialError(provider: "counting", reason: "STS is down"))
        clock.advance(minutes: 61)
        let error = await credentialError { try await provider.credentials() }
        XCTAssertEqual(error?.reason, "STS is down")
    }

    func testCredentials_afterAFailureWithNothingCached_triesAgainOnTheNextCall() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: 60)
        base.fail(with: CredentialError.notConfigured("counting", "nothing"))
        let provider = cache(base)
        _ = await credentialError { try await provider.credentials() }
        base.fail(with: nil)
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials.accessKeyId, "AKIA2")
    }

    func testName_isTheUnderlyingProvidersName() {
        XCTAssertEqual(cache(CountingProvider(clock: clock, lifetimeMinutes: nil)).name, "counting")
    }

    // MARK: Expired credentials

    func testCredentials_whenTheyArriveExpired_areFetchedOnceMore_thenRefusedNamingTheirSource() async throws {
        let base = CountingProvider(clock: clock, lifetimeMinutes: -1)
        let provider = cache(base)
        let error = await credentialError { try await provider.credentials() }
        XCTAssertEqual(error?.provider, "counting")
        XCTAssertTrue(error?.reason.contains("refreshing them gave no newer ones; no request was sent") == true, "\(String(describing: error))")
        XCTAssertEqual(base.calls, 2)
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
    }

    func testCredentials_whenTheRefetchGivesValidOnes_usesThem() async throws {
        let clock = self.clock
        let base = ScriptedProvider([
            AWSCredentials(accessKeyId: "AKIDOLD", secretAccessKey: "s", expiration: clock.date(inMinutes: 0), source: "scripted"),
            AWSCredentials(accessKeyId: "AKIDNEW", secretAccessKey: "s", expiration: clock.date(inMinutes: 60), source: "scripted"),
        ])
        let provider = CachingCredentialProvider(base, now: { clock.now })
        let first = try await provider.credentials()
        let second = try await provider.credentials()
        XCTAssertEqual([first.accessKeyId, second.accessKeyId], ["AKIDNEW", "AKIDNEW"])
        XCTAssertEqual(base.calls, 2)
    }

    func testEnvironmentCredentials_withAPastExpiration_areRefused() async throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Sentinel.secretKey,
                           "AWS_CREDENTIAL_EXPIRATION": "2020-01-01T00:00:00Z"]
        let provider = CachingCredentialProvider(EnvironmentCredentialProvider(environment: environment))
        let error = await credentialError { try await provider.credentials() }
        XCTAssertEqual(error?.provider, "environment")
        XCTAssertTrue(error?.reason.hasPrefix("the credentials expired at 2020-01-01T00:00:00Z (now ") == true, "\(String(describing: error))")
    }
}
