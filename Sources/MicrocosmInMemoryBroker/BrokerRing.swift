/// A growable ring buffer: O(1) append, removal at the front and access at both ends. The queues
/// of the in-memory broker keep their visible messages in one, so a receive never scans a queue.
struct BrokerRing<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0

    init() {
        storage = Array(repeating: nil, count: 16)
    }

    var isEmpty: Bool { count == 0 }

    var first: Element? { count == 0 ? nil : storage[head] }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = element
        count += 1
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return element
    }

    /// The element `offset` places from the front.
    subscript(offset: Int) -> Element {
        storage[(head + offset) & (storage.count - 1)]!
    }

    /// Inserts `element` before the first element for which `precedes(element, existing)` holds
    /// (at the end when there is none). O(position): used near the front only.
    mutating func insert(_ element: Element, before precedes: (Element, Element) -> Bool) {
        var position = 0
        while position < count, !precedes(element, self[position]) { position += 1 }
        append(element)
        var index = count - 1
        while index > position {
            let previous = (head + index - 1) & (storage.count - 1)
            storage[(head + index) & (storage.count - 1)] = storage[previous]
            index -= 1
        }
        storage[(head + position) & (storage.count - 1)] = element
    }

    mutating func removeAll() {
        self = BrokerRing()
    }

    /// The elements from front to back.
    var elements: [Element] { (0..<count).map { self[$0] } }

    private mutating func grow() {
        var larger = [Element?](repeating: nil, count: storage.count * 2)
        for offset in 0..<count { larger[offset] = storage[(head + offset) & (storage.count - 1)] }
        storage = larger
        head = 0
    }
}
