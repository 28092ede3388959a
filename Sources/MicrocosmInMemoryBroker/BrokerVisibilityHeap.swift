#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A binary min-heap of delayed and in-flight messages ordered by the time they become visible
/// (then by arrival), indexed through each message's `heapIndex` so a delete or a visibility
/// change removes or moves its entry in O(log n) and leaves nothing stale behind.
struct BrokerVisibilityHeap {
    private var items: [BrokerStoredMessage] = []

    var count: Int { items.count }

    /// The message that becomes visible first.
    var first: BrokerStoredMessage? { items.first }

    mutating func insert(_ message: BrokerStoredMessage) {
        message.heapIndex = items.count
        items.append(message)
        siftUp(items.count - 1)
    }

    /// Removes `message` (which must be in the heap).
    mutating func remove(_ message: BrokerStoredMessage) {
        let index = message.heapIndex
        let last = items.count - 1
        if index != last {
            items.swapAt(index, last)
            items[index].heapIndex = index
        }
        items.removeLast()
        message.heapIndex = -1
        if index < items.count {
            siftDown(index)
            siftUp(index)
        }
    }

    /// Restores the order after `message.visibleAt` changed.
    mutating func update(_ message: BrokerStoredMessage) {
        siftDown(message.heapIndex)
        siftUp(message.heapIndex)
    }

    mutating func removeAll() {
        for item in items { item.heapIndex = -1 }
        items.removeAll()
    }

    /// Every message, in no particular order.
    var messages: [BrokerStoredMessage] { items }

    private static func precedes(_ lhs: BrokerStoredMessage, _ rhs: BrokerStoredMessage) -> Bool {
        lhs.visibleAt != rhs.visibleAt ? lhs.visibleAt < rhs.visibleAt : lhs.sequence < rhs.sequence
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(items[child], items[parent]) else { return }
            swap(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { return }
            let right = left + 1
            var smallest = left
            if right < items.count, Self.precedes(items[right], items[left]) { smallest = right }
            guard Self.precedes(items[smallest], items[parent]) else { return }
            swap(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swap(_ first: Int, _ second: Int) {
        items.swapAt(first, second)
        items[first].heapIndex = first
        items[second].heapIndex = second
    }
}
