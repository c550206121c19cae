import Foundation

/// Runs a blocking librdkafka call on a helper thread and waits for it at most until a
/// deadline, so that no call can hold the scheduler for ever. librdkafka 2.0.2 (Debian 12's)
/// ignores the timeout of `rd_kafka_query_watermark_offsets` while the broker is down
/// (librdkafka issue #2588, fixed in 2.3.0): such a call is abandoned on its thread, which
/// keeps the client alive until the call returns, and its late answer is dropped.
enum BoundedCall {
    /// The results of `calls`, run concurrently (one thread each), in order.
    /// - Throws: the first call's error, or a retriable `KafkaError` naming `brokers` when
    ///   the deadline passes, or a `KafkaError` when `isCancelled` is true after a second of
    ///   waiting (a stop does not fail calls that a healthy broker answers at once).
    static func all<T: Sendable>(
        _ calls: [@Sendable () throws -> T], operation: String, brokers: String,
        deadline: ContinuousClock.Instant, isCancelled: @escaping () -> Bool
    ) throws -> [T] {
        let outcome = Outcome<T>(count: calls.count)
        let started = ContinuousClock.now
        for (i, call) in calls.enumerated() {
            let thread = Thread { outcome.set(i, Result { try call() }) }
            thread.name = "KafkaSource.bounded"
            thread.start()
        }
        while true {
            if let results = outcome.wait(until: min(deadline, ContinuousClock.now + .milliseconds(100))) {
                return try results.map { try $0.get() }
            }
            if ContinuousClock.now - started >= .seconds(1), isCancelled() {
                throw KafkaError(operation: operation, message: "stopped while waiting for the brokers at \(brokers)")
            }
            if ContinuousClock.now >= deadline {
                throw KafkaError(
                    operation: operation,
                    message: "no answer from the brokers at \(brokers) in time: are they running and reachable?",
                    isRetriable: true)
            }
        }
    }

    /// Results filled in by the helper threads.
    ///
    /// Sendable: `results` and `missing` are read and written under `condition`.
    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Result<T, any Error>?]
        private var missing: Int

        init(count: Int) {
            results = Array(repeating: nil, count: count)
            missing = count
        }

        func set(_ index: Int, _ result: Result<T, any Error>) {
            condition.lock()
            results[index] = result
            missing -= 1
            condition.broadcast()
            condition.unlock()
        }

        /// All results once every call has returned (or, early, the first failure); nil at `deadline`.
        func wait(until deadline: ContinuousClock.Instant) -> [Result<T, any Error>]? {
            condition.lock()
            defer { condition.unlock() }
            while missing > 0 {
                if let failure = results.first(where: { if case .failure = $0 { true } else { false } }) {
                    return [failure!]
                }
                let seconds =
                    Double((deadline - ContinuousClock.now).components.attoseconds) / 1e18
                    + Double((deadline - ContinuousClock.now).components.seconds)
                guard seconds > 0, condition.wait(until: Date(timeIntervalSinceNow: seconds)) || missing == 0 else {
                    return missing == 0 ? results.map { $0! } : nil
                }
            }
            return results.map { $0! }
        }
    }
}
