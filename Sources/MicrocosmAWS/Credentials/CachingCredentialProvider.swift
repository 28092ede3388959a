#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// Caches another provider's credentials and refreshes them before they expire, one refresh at a time.
///
/// Credentials without an expiration are kept for good. Others are refreshed once less than
/// `refreshMargin` (default 5 minutes) is left; credentials that arrive with less than that left
/// are refreshed after half their remaining life. However many tasks ask at once, at most one call
/// to the underlying provider is in flight and every caller gets its result. When a refresh fails
/// while the cached credentials are still valid, those are returned (the failure is logged) and the
/// next refresh is tried after half their remaining life; once they have expired, the failure is thrown.
/// Credentials that arrive already expired (a past `AWS_CREDENTIAL_EXPIRATION`, an endpoint
/// returning a past `Expiration`) are fetched once more; if those have expired too, they are refused
/// with a ``CredentialError`` naming their source, so no request is signed with them.
///
/// ```swift
/// let provider = CachingCredentialProvider(CredentialProviderChain.standard(transport: transport))
/// let credentials = try await provider.credentials()   // the chain runs once; later calls hit the cache
/// ```
public actor CachingCredentialProvider: CredentialProvider {
    public nonisolated let name: String
    private let base: any CredentialProvider
    private let refreshMargin: TimeInterval
    private let logger: Logger?
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var refreshAt: Date?
    private var refresh: Task<AWSCredentials, any Error>?

    /// Caches `base`; `now` is the clock (tests pass their own), `logger` hears about failed refreshes.
    public init(_ base: any CredentialProvider, refreshMargin: TimeInterval = 300, logger: Logger? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.refreshMargin = refreshMargin
        self.logger = logger
        self.now = now
        name = base.name
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, refreshAt.map({ now() < $0 }) ?? true { return cached }
        let task: Task<AWSCredentials, any Error>
        if let refresh {
            task = refresh
        } else {
            let base = self.base, now = self.now
            task = Task { try await CachingCredentialProvider.fetch(from: base, now: now) }
            refresh = task
        }
        let ownsRefresh: Bool
        do {
            let fresh = try await task.value
            ownsRefresh = refresh == task
            if ownsRefresh {
                refresh = nil
                cached = fresh
                refreshAt = fresh.expiration.map { nextRefresh(expiration: $0, now: now()) }
            }
            return fresh
        } catch {
            ownsRefresh = refresh == task
            if ownsRefresh { refresh = nil }
            let current = now()
            guard let cached, let expiration = cached.expiration, expiration > current else { throw error }
            if ownsRefresh {
                refreshAt = current.addingTimeInterval(expiration.timeIntervalSince(current) / 2)
                logger?.warning("AWS credential refresh failed; using the current credentials until they expire",
                                metadata: ["aws.credentials.provider": name, "aws.credentials.expiration": "\(expiration)",
                                           "aws.error": "\(error)"])
            }
            return cached
        }
    }

    /// `base`'s credentials, fetched once more when they have already expired, refused when they still have.
    private static func fetch(from base: any CredentialProvider, now: @Sendable () -> Date) async throws -> AWSCredentials {
        let first = try await base.credentials()
        guard let expiration = first.expiration, expiration <= now() else { return first }
        let second = try await base.credentials()
        let current = now()
        guard let expiration = second.expiration, expiration <= current else { return second }
        throw CredentialError.expired(second, now: current)
    }

    /// When to refresh credentials expiring at `expiration`: `refreshMargin` before, or after half
    /// their remaining life when they are already inside the margin.
    private func nextRefresh(expiration: Date, now: Date) -> Date {
        let preferred = expiration.addingTimeInterval(-refreshMargin)
        return preferred > now ? preferred : now.addingTimeInterval(expiration.timeIntervalSince(now) / 2)
    }
}
