import Foundation

/// The bounded buffer between a receiver (a reader thread or task) and the batches: the
/// building block of receiver sources.
///
/// `push` makes the receiver wait while the buffer is full (TCP then slows the sender), so
/// nothing is dropped; `offer` never waits and says whether the record did not fit or the
/// buffer is closed, for sources whose server drops slow readers. Each batch `take`s at most `maxRecordsPerBatch`; the rest
/// waits for later batches.
///
/// Sendable: every mutable property is read and written under `condition`.
public final class ReceiverBuffer<Element: Sendable>: @unchecked Sendable {
    /// Records held before producers wait (or `offer` fails).
    public let capacity: Int
    /// The most records one batch takes; nil: all that arrived.
    public let maxRecordsPerBatch: Int?
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    private var spaceWaiters: [CheckedContinuation<Void, Never>] = []
    private var countWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// An empty, open buffer.
    public init(capacity: Int, maxRecordsPerBatch: Int?) {
        self.capacity = max(1, capacity)
        self.maxRecordsPerBatch = maxRecordsPerBatch
    }

    /// Records waiting.
    public var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count - head
    }

    /// Appends `element`, blocking the calling thread while the buffer is full.
    /// Returns false if the buffer was closed.
    @discardableResult
    public func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch append(element) {
            case .accepted: return true
            case .closed: return false
            case .full: condition.wait()
            }
        }
    }

    /// What `offer` did with a record.
    public enum Offer: Sendable {
        case accepted
        /// The buffer is full: the pipeline is behind.
        case full
        /// The buffer was closed: the source is stopping.
        case closed
    }

    /// Appends `element` if there is room, never waiting.
    public func offer(_ element: Element) -> Offer {
        condition.lock()
        defer { condition.unlock() }
        return append(element)
    }

    /// Appends `element`, suspending while the buffer is full. Returns false if closed.
    public func pushSuspending(_ element: Element) async -> Bool {
        while true {
            switch offer(element) {
            case .accepted: return true
            case .closed: return false
            case .full: break
            }
            await withCheckedContinuation { continuation in
                condition.lock()
                if closed || items.count - head < capacity {
                    condition.unlock()
                    continuation.resume()
                } else {
                    spaceWaiters.append(continuation)
                    condition.unlock()
                }
            }
        }
    }

    /// Takes the records of one batch (up to the per-batch cap).
    public func take() -> [Element] {
        condition.lock()
        let available = items.count - head
        let n = min(available, maxRecordsPerBatch ?? available)
        let taken = Array(items[head..<head + n])
        head += n
        if head > 4096, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        let waiters = spaceWaiters
        spaceWaiters.removeAll()
        condition.broadcast()
        condition.unlock()
        waiters.forEach { $0.resume() }
        return taken
    }

    /// Returns once at least `count` records wait in the buffer, or it is closed.
    public func waitForRecords(_ count: Int) async {
        await withCheckedContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if closed || items.count - head >= count {
                continuation.resume()
            } else {
                countWaiters.append((count, continuation))
            }
        }
    }

    /// Appends `element` if the buffer is open and has room. Called with the lock held.
    private func append(_ element: Element) -> Offer {
        if closed { return .closed }
        guard items.count - head < capacity else { return .full }
        items.append(element)
        resumeCountWaiters()
        return .accepted
    }

    /// Called with the lock held.
    private func resumeCountWaiters() {
        guard !countWaiters.isEmpty else { return }
        let available = items.count - head
        countWaiters.removeAll { waiter in
            guard waiter.count <= available else { return false }
            waiter.continuation.resume()
            return true
        }
    }

    /// Refuses further pushes and wakes blocked receivers; buffered records stay takeable.
    public func close() {
        condition.lock()
        closed = true
        let waiters = spaceWaiters + countWaiters.map(\.continuation)
        spaceWaiters.removeAll()
        countWaiters.removeAll()
        condition.broadcast()
        condition.unlock()
        waiters.forEach { $0.resume() }
    }
}
