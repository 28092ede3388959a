#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The last ``SigV4Timestamp`` a signer made, shared by its copies: requests signed within the same second reuse its
/// two strings instead of formatting (and allocating) them again.
final class SigV4TimestampCache: Sendable {
    private let last = Mutex<(second: Int64, timestamp: SigV4Timestamp)?>(nil)

    /// The timestamp of `date` (whole seconds, UTC).
    func timestamp(for date: Date) -> SigV4Timestamp {
        let second = SigV4TimestampCache.second(of: date)
        if let cached = last.withLock({ $0?.second == second ? $0?.timestamp : nil }) { return cached }
        let timestamp = SigV4Timestamp(date)
        last.withLock { $0 = (second, timestamp) }
        return timestamp
    }

    /// The whole seconds since 1970 of `date` (rounded down), as the timestamps count them.
    static func second(of date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
