#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// How far the local clock is from AWS's, learnt from responses and shared by one client's calls.
///
/// When a request fails with a clock-skew code (``AWSError/clockSkewCodes``) and the response's
/// `Date` is at least the threshold away from our corrected time, the offset becomes
/// `server date - now`, and later requests are signed with `now + offset` (as the AWS JS SDK does).
final class ClockSkew: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    /// Seconds to add to the local clock; 0 until a correction.
    var seconds: TimeInterval { offset.withLock { $0 } }

    /// `now` corrected by the offset.
    func corrected(_ now: Date) -> Date { now.addingTimeInterval(seconds) }

    /// Records a new offset when `error` is a clock-skew error and `response` has a `Date` header at
    /// least `threshold` away from the corrected `now`; returns the new offset, or nil when nothing changed.
    func correct(after error: AWSError, response: AWSHTTPResponse, now: Date, threshold: Duration) -> TimeInterval? {
        guard AWSError.clockSkewCodes.contains(error.code),
              let header = response.headers["Date"], let serverDate = HTTPDate.parse(header) else { return nil }
        let limit = Double(threshold.components.seconds) + Double(threshold.components.attoseconds) / 1e18
        return offset.withLock { offset in
            guard abs(now.addingTimeInterval(offset).timeIntervalSince(serverDate)) >= limit else { return nil }
            offset = serverDate.timeIntervalSince(now)
            return offset
        }
    }
}
