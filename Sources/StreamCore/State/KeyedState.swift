/// The state of one key, handed to a `mapWithState` function (Spark's `State`).
public struct KeyedState<Value: Sendable>: Sendable {
    /// The key's state, nil if it has none.
    public private(set) var value: Value?
    /// True when the call is the key's last: it was idle longer than the timeout and its
    /// state is removed after this call (updates are ignored).
    public let isTimingOut: Bool
    private(set) var changed = false

    init(value: Value?, isTimingOut: Bool) {
        self.value = value
        self.isTimingOut = isTimingOut
    }

    /// Whether the key has state.
    public var exists: Bool { value != nil }

    /// Sets the key's state.
    public mutating func update(_ newValue: Value) {
        value = newValue
        changed = true
    }

    /// Removes the key's state.
    public mutating func remove() {
        value = nil
        changed = true
    }
}

/// A key's state with the time of its last record, for idle timeouts.
struct TimedState<Value: Codable & Sendable>: Codable, Sendable {
    var value: Value
    var lastSeen: Int64

    /// `lastSeen` of an initial state until the first batch stamps it.
    static var notYetSeen: Int64 { .min }
}
