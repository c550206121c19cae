import StreamCore
import StreamTestSupport
import Testing

@Suite("Keyed state")
struct StateTests {
    @Test func updateStateByKeyCallsIdleKeysAndRemovesOnNil() async throws {
        // A session counter that forgets a user after a batch without events.
        let sessions = try await replay([[("ann", 1), ("bob", 1)], [("ann", 1)], [], []]) { events in
            events.updateStateByKey { (new: [Int], old: Int?) -> Int? in
                new.isEmpty ? nil : (old ?? 0) + new.count
            }
        }
        #expect(
            sessions.map { $0.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" } } == [
                ["ann=1", "bob=1"], ["ann=2"], [], [],
            ])
    }

    @Test func mapWithStateEmitsPerRecordAndTimesOutIdleKeys() async throws {
        let events = try await replay([[("ann", 5), ("ann", 2)], [("bob", 1)], [], []]) { purchases in
            purchases.mapWithState(timeout: .seconds(2)) { (user: String, amount: Int?, total: inout KeyedState<Int>) -> String in
                if total.isTimingOut { return "\(user) idle, spent \(total.value ?? 0)" }
                let sum = (total.value ?? 0) + (amount ?? 0)
                total.update(sum)
                return "\(user) spent \(sum)"
            }
        }
        #expect(events == [["ann spent 5", "ann spent 7"], ["bob spent 1"], ["ann idle, spent 7"], ["bob idle, spent 1"]])
    }

    @Test func mapWithStateRemove() async throws {
        let out = try await replay([[("k", 1)], [("k", 0)], [("k", 4)]]) { stream in
            stream.mapWithState { (key: String, value: Int?, state: inout KeyedState<Int>) -> Int in
                if value == 0 { state.remove(); return -1 }
                let next = (state.value ?? 0) + (value ?? 0)
                state.update(next)
                return next
            }
        }
        #expect(out == [[1], [-1], [4]])
    }

    @Test func mapWithStateStartsFromAnInitialStateAndShowsSnapshots() async throws {
        let snapshots = try await replay([[("ann", 5)], [("bob", 1)], []]) { purchases in
            purchases.mapWithState(initialState: [("ann", 100)]) { (_: String, amount: Int?, total: inout KeyedState<Int>) in
                total.update((total.value ?? 0) + (amount ?? 0))
            }
            .stateSnapshots()
        }
        #expect(
            snapshots.map { $0.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" } }
                == [["ann=105"], ["ann=105", "bob=1"], ["ann=105", "bob=1"]])
    }

    @Test func anInitialStateTimesOutFromTheFirstBatch() async throws {
        let events = try await replay([[], [], []]) { (purchases: DStream<(String, Int)>) in
            purchases.mapWithState(timeout: .seconds(2), initialState: [("ann", 7)]) {
                (user: String, _: Int?, total: inout KeyedState<Int>) -> String in
                total.isTimingOut ? "\(user) idle with \(total.value ?? 0)" : "\(user) active"
            }
        }
        #expect(events == [[], [], ["ann idle with 7"]])
    }
}
