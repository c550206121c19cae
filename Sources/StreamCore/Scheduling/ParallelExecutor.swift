import Dispatch

/// Runs the partitions of a batch on all cores.
///
/// Per-record work is synchronous; this is the only place where a batch fans out.
@usableFromInline
struct ParallelExecutor: Sendable {
    /// How many partitions sources cut a batch into, and how many a shuffle produces.
    @usableFromInline let parallelism: Int

    @usableFromInline
    init(parallelism: Int) {
        self.parallelism = parallelism
    }

    /// Calls `body(i)` for `i` in `0..<count`, in parallel, and returns the results in order.
    /// The first error thrown by any call is rethrown once all calls have ended.
    @inlinable
    func map<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        if count == 1 { return [try body(0)] }
        let slots = ResultSlots<T>(count: count)
        // Safe: concurrentPerform returns only after every call, and callers pass bodies
        // whose calls touch disjoint data (one partition each).
        withoutActuallyEscaping(body) { body in
            let task = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                slots.set(i, Result { try task.value(i) })
            }
        }
        return try slots.results()
    }
}

extension ParallelExecutor {
    /// Calls `body(i)` for `i` in `0..<count`, in parallel, for work that cannot fail.
    @inlinable
    func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count == 1 { return body(0) }
        withoutActuallyEscaping(body) { body in
            let task = UncheckedSendable(body)  // same reasoning as `map`
            DispatchQueue.concurrentPerform(iterations: count) { task.value($0) }
        }
    }

    /// Replaces every element of `values` with `empty`, each on its own core, so that what
    /// they held (a batch's partitions, their records) is freed in parallel: freed on one
    /// thread, a batch of tweets took longer than encoding it, and kept the other cores idle.
    @inlinable
    func free<T>(_ values: inout [T], leaving empty: T) {
        values.withUnsafeMutableBufferPointer { values in
            let values = UncheckedSendable(values)  // each call writes its own element
            forEach(values.value.count) { values.value[$0] = empty }
        }
    }
}

/// One write-once slot per parallel task; each index is written by exactly one task.
///
/// Sendable: tasks write disjoint slots of one fixed buffer (never the array that would
/// otherwise hold them: each write would be a mutating access of the whole array, a data race
/// the Thread Sanitizer reports), and results are read after `concurrentPerform` returns.
@usableFromInline
final class ResultSlots<T>: @unchecked Sendable {
    @usableFromInline let slots: UnsafeMutableBufferPointer<Result<T, any Error>?>

    @usableFromInline
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    @inlinable
    func set(_ i: Int, _ result: Result<T, any Error>) {
        slots[i] = result
    }

    @inlinable
    func results() throws -> [T] {
        try slots.map { try $0!.get() }
    }
}

/// A value moved across threads where the code around it guarantees exclusive use (e.g. a
/// snapshot handed to the checkpoint writer, never touched again by its maker).
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}
