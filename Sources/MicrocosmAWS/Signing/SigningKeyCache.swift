import Synchronization

/// Recently derived SigV4 signing keys for one service and region, shared by every copy of a ``SigV4Signer``.
///
/// Deriving a key costs four HMACs; with the cache, signing on the same day with the same secret costs only the
/// final HMAC over the string to sign. Each entry holds the signing key as an ``HMACKeyState`` (the states after
/// the key's two pad blocks, so they are not hashed again). The cache compares secrets but never shows them: its
/// descriptions give only the number of entries.
package final class SigningKeyCache: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// What an entry is for. The secret is compared, never shown.
    private struct Key: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        let secretAccessKey: String
        let dateStamp: String

        var description: String { "SigningKey(date: \(dateStamp), secret: <redacted>)" }
        var debugDescription: String { description }
        var customMirror: Mirror { Mirror(self, children: ["dateStamp": dateStamp, "secretAccessKey": "<redacted>"]) }
    }

    private struct Entry: Sendable {
        let key: Key
        let signingKey: HMACKeyState
    }

    /// Entries kept: a day change or a credential refresh adds one; old ones fall out.
    static let capacity = 4

    let service: String
    let region: String
    /// The engine the cached keys' HMACs compress with.
    let engine: SHA256.Engine
    /// Most recently used first.
    private let entries = Mutex<[Entry]>([])

    init(service: String, region: String, engine: SHA256.Engine) {
        self.service = service
        self.region = region
        self.engine = engine
    }

    /// The keyed HMAC for `secretAccessKey` on `dateStamp` (`yyyyMMdd`), derived on first use.
    func signingKey(secretAccessKey: String, dateStamp: String) -> HMACKeyState {
        let key = Key(secretAccessKey: secretAccessKey, dateStamp: dateStamp)
        let cached: HMACKeyState? = entries.withLock { entries in
            guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
            if index != 0 { entries.insert(entries.remove(at: index), at: 0) }
            return entries[0].signingKey
        }
        if let cached { return cached }
        let derived = SigningKeyCache.derivedKey(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
            .withUnsafeBytes { HMACKeyState(key: $0, engine: engine) }
        entries.withLock { entries in
            guard !entries.contains(where: { $0.key == key }) else { return }
            entries.insert(Entry(key: key, signingKey: derived), at: 0)
            if entries.count > SigningKeyCache.capacity { entries.removeLast() }
        }
        return derived
    }

    /// How many keys are cached.
    package var count: Int { entries.withLock { $0.count } }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    static func derivedKey(secretAccessKey: String, dateStamp: String, region: String, service: String) -> HashDigest {
        let dateKey = HMAC.sha256(key: ("AWS4" + secretAccessKey).utf8, message: dateStamp.utf8)
        let regionKey = HMAC.sha256(key: dateKey, message: region.utf8)
        let serviceKey = HMAC.sha256(key: regionKey, message: service.utf8)
        return HMAC.sha256(key: serviceKey, message: "aws4_request".utf8)
    }

    package var description: String { "SigningKeyCache(service: \(service), region: \(region), keys: \(count))" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["service": service, "region": region, "keys": count]) }
}
